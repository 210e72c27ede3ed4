import { actionLabel, detailParts } from "./audit-details";
import type { AuditRow } from "./types";

const timeFormat = new Intl.DateTimeFormat("en", {
  dateStyle: "medium",
  timeStyle: "medium",
  timeZone: "UTC",
});
const cell = "px-4 py-3 align-top";

/** The entries of one page, newest first; scrolls sideways on a narrow screen instead of squashing. */
export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full min-w-[56rem] text-left text-sm">
        <caption className="sr-only">Audit log entries, newest first</caption>
        <thead className="bg-slate-50 text-xs tracking-wide text-slate-600 uppercase">
          <tr>
            {["Time", "Person", "Action", "Target", "Details", "Address"].map((name) => (
              <th key={name} scope="col" className="px-4 py-3 font-medium">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => {
            const parts = detailParts(row.action, row.details);
            return (
              <tr key={row.id}>
                <td className={`${cell} whitespace-nowrap text-slate-600`}>
                  <time dateTime={row.createdAt.toISOString()}>{timeFormat.format(row.createdAt)} UTC</time>
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
        </tbody>
      </table>
    </div>
  );
}
