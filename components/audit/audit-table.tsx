import { cn } from "../ui/cn";
import { DateTime } from "../ui/date-time";
import { cellClass, DataTable, rowClass } from "../ui/table";
import { actionLabel, compactAddress, detailParts } from "./audit-details";
import type { AuditRow } from "./types";

const cell = (className?: string) => cellClass("lg", cn("align-top", className));
// Wraps anywhere only past this width, so that a short email or address keeps to one line.
const wrapLong = "min-w-32 wrap-anywhere";

/**
 * The entries of one page, newest first. From 1024 px on every column fits the page's box (long names,
 * targets and addresses wrap); below that each entry is a card.
 */
export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <DataTable
      caption="Audit log entries, newest first"
      columns={["Time", "Person", "Action", "Target", "Details", "Address"]}
      cardsBelow="lg"
    >
      {rows.map((row) => {
        const parts = detailParts(row.action, row.details);
        return (
          <tr key={row.id} className={rowClass("lg")}>
            <td data-label="Time" className={cell("text-slate-600")}>
              <DateTime value={row.createdAt} />
            </td>
            <td data-label="Person" className={cell()}>
              <div className={wrapLong}>{row.actorLabel}</div>
            </td>
            <td data-label="Action" className={cell("font-medium")}>
              {actionLabel(row.action)}
            </td>
            <td data-label="Target" className={cell("text-slate-700")}>
              <div className={wrapLong}>{row.targetLabel ?? "—"}</div>
            </td>
            <td data-label="Details" className={cell("text-slate-700")}>
              {parts.length ? (
                <ul className="space-y-0.5 text-xs wrap-anywhere">
                  {parts.map((part) => (
                    <li key={part}>{part}</li>
                  ))}
                </ul>
              ) : (
                "—"
              )}
            </td>
            <td
              data-label="Address"
              className={cell("font-mono text-xs text-slate-600")}
              title={[row.ipAddress, row.userAgent].filter(Boolean).join(" · ") || undefined}
            >
              <div className="min-w-[15ch] wrap-anywhere">
                {row.ipAddress ? compactAddress(row.ipAddress) : "—"}
              </div>
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
