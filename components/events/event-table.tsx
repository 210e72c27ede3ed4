import type { Route } from "next";
import Link from "next/link";
import type { LeadSnapshot } from "@/lib/validations/event";
import { DateTime } from "../ui/date-time";
import { DataTable } from "../ui/table";
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

const cell = "px-4 py-3 align-top";
const none = <span className="text-slate-400">—</span>;

/**
 * The events of one page, newest first; each opens through its type. On a process's own page the Process
 * column is left out. Scrolls sideways inside its box on a narrow screen instead of widening the page.
 */
export function EventTable({ rows, showProcess = true }: { rows: EventRow[]; showProcess?: boolean }) {
  const columns = ["Received", ...(showProcess ? ["Process"] : []), "Type", "Lead", "Status", "Disposition"];
  return (
    <DataTable
      caption="Received events, newest first"
      columns={[...columns, "Deliveries"]}
      minWidth={showProcess ? "min-w-[60rem]" : "min-w-[52rem]"}
    >
      {rows.map((row) => (
        <tr key={row.id}>
          <td className={`${cell} whitespace-nowrap text-slate-600`}>
            <DateTime value={row.receivedAt} />
          </td>
          {showProcess ? (
            <td className={`${cell} max-w-48 break-words`}>
              <Link href={`/processes/${row.processId}` as Route} className="text-brand-700 hover:underline">
                {row.processName}
              </Link>
            </td>
          ) : null}
          <td className={cell}>
            <Link
              href={eventPath(row.id) as Route}
              className="font-mono text-xs font-medium text-brand-700 hover:underline"
            >
              {row.type}{" "}
              <span
                className="mt-0.5 block max-w-48 truncate font-sans text-slate-500"
                title={row.externalId}
              >
                {row.externalId}
              </span>
            </Link>
          </td>
          <td className={`${cell} max-w-56 break-words`}>
            {row.lead ? (
              <>
                <span className="font-mono text-xs">{row.lead.id}</span>
                {row.lead.name ? <span className="ml-1">{row.lead.name}</span> : null}
                {row.lead.phone ? (
                  <span className="block text-xs text-slate-500">{row.lead.phone}</span>
                ) : null}
              </>
            ) : (
              none
            )}
          </td>
          <td className={`${cell} break-words`}>{row.lead?.status ?? none}</td>
          <td className={`${cell} max-w-48 break-words`}>{row.lead?.disposition ?? none}</td>
          <td className={cell}>
            <DeliveryBadges deliveries={row.deliveries} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
