import type { Route } from "next";
import Link from "next/link";
import type { LeadSnapshot } from "@/lib/validations/event";
import { cn } from "../ui/cn";
import { DateTime } from "../ui/date-time";
import { cellClass, DataTable, rowClass } from "../ui/table";
import { DeliveryBadges, type DeliverySummary } from "./delivery-badges";
import { eventPath } from "./event-search-params";

/** One received event as the Events pages list it. */
export type EventRow = {
  id: string;
  externalId: string;
  type: string;
  receivedAt: Date;
  lead: LeadSnapshot | null;
  processId: string;
  processName: string;
  deliveries: DeliverySummary[];
};

const cell = (className?: string) => cellClass("lg", cn("align-top", className));
const none = <span className="text-slate-400">—</span>;

/**
 * The events of one page, newest first; each opens through its type. On a process's own page the Process
 * column is left out. From 1024 px on, every column fits a 1280 px window's box (the lead's status and
 * disposition share one); below that each event is a card with its received time, lead, type and deliveries.
 */
export function EventTable({ rows, showProcess = true }: { rows: EventRow[]; showProcess?: boolean }) {
  const columns = ["Received", ...(showProcess ? ["Process"] : []), "Type", "Lead", "Status"];
  return (
    <DataTable caption="Received events, newest first" columns={[...columns, "Deliveries"]} cardsBelow="lg">
      {rows.map((row) => (
        <tr key={row.id} className={rowClass("lg")}>
          <td data-label="Received" className={cell(cn("text-slate-600", !showProcess && "col-span-2"))}>
            <DateTime value={row.receivedAt} />
          </td>
          {showProcess ? (
            <td data-label="Process" className={cell("wrap-break-word")}>
              <Link href={`/processes/${row.processId}` as Route} className="text-brand-700 hover:underline">
                {row.processName}
              </Link>
            </td>
          ) : null}
          <td data-label="Type" className={cell("col-span-2")}>
            <Link
              href={eventPath(row.id) as Route}
              className="font-mono text-xs font-medium text-brand-700 hover:underline"
            >
              {row.type}{" "}
              <span
                className="mt-0.5 block max-w-full truncate font-sans text-slate-500 lg:max-w-40"
                title={row.externalId}
              >
                {row.externalId}
              </span>
            </Link>
          </td>
          <td data-label="Lead" className={cell("wrap-break-word")}>
            {row.lead ? (
              <>
                <span className="font-mono text-xs wrap-anywhere">{row.lead.id}</span>
                {row.lead.name ? <span className="block">{row.lead.name}</span> : null}
                {row.lead.phone ? (
                  <span className="block text-xs whitespace-nowrap text-slate-500">{row.lead.phone}</span>
                ) : null}
              </>
            ) : (
              none
            )}
          </td>
          <td data-label="Status" className={cell("wrap-break-word")}>
            {row.lead?.status ?? none}
            {row.lead?.disposition ? (
              <span className="mt-0.5 block text-xs text-slate-500">Disposition: {row.lead.disposition}</span>
            ) : null}
          </td>
          <td data-label="Deliveries" className={cell("col-span-2")}>
            <DeliveryBadges deliveries={row.deliveries} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
