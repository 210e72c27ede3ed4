import { DateTime } from "../ui/date-time";
import { DataTable } from "../ui/table";
import { actionLabel, detailParts } from "./audit-details";
import type { AuditRow } from "./types";

const cell = "px-4 py-3 align-top";

/** The entries of one page, newest first; scrolls sideways on a narrow screen instead of squashing. */
export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <DataTable
      caption="Audit log entries, newest first"
      columns={["Time", "Person", "Action", "Target", "Details", "Address"]}
      minWidth="min-w-[56rem]"
    >
      {rows.map((row) => {
        const parts = detailParts(row.action, row.details);
        return (
          <tr key={row.id}>
            <td className={`${cell} whitespace-nowrap text-slate-600`}>
              <DateTime value={row.createdAt} />
            </td>
            <td className={`${cell} break-words`}>{row.actorLabel}</td>
            <td className={`${cell} font-medium`}>{actionLabel(row.action)}</td>
            <td className={`${cell} max-w-64 break-words text-slate-700`}>{row.targetLabel ?? "—"}</td>
            <td className={`${cell} max-w-80 text-slate-700`}>
              {parts.length ? (
                <ul className="space-y-0.5 text-xs break-words">
                  {parts.map((part) => (
                    <li key={part}>{part}</li>
                  ))}
                </ul>
              ) : (
                "—"
              )}
            </td>
            <td className={`${cell} font-mono text-xs text-slate-600`} title={row.userAgent ?? undefined}>
              {row.ipAddress ?? "—"}
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
