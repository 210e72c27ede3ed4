import type { ReactNode } from "react";

/** A column header of the app's tables; `hidden` for one only screen readers need, `compact` for small tables. */
export function Th({
  children,
  compact,
  hidden,
}: {
  children: ReactNode;
  compact?: boolean;
  hidden?: boolean;
}) {
  return (
    <th scope="col" className={compact ? "py-1 pr-2 font-medium" : "px-4 py-3 font-medium"}>
      {hidden ? <span className="sr-only">{children}</span> : children}
    </th>
  );
}

export type Column = string | { label: string; hidden?: boolean };

/**
 * The app's tables: a caption for screen readers, a header row, and `children` as the body's rows. On a
 * narrow screen the table scrolls inside its own box (at least `minWidth` wide) instead of widening the
 * page; `relative` keeps screen-reader-only text inside that box too.
 */
export function DataTable({
  caption,
  columns,
  minWidth = "min-w-[36rem]",
  children,
}: {
  caption: string;
  columns: Column[];
  minWidth?: string;
  children: ReactNode;
}) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className={`w-full ${minWidth} text-left text-sm`}>
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-xs tracking-wide text-slate-600 uppercase">
          <tr>
            {columns.map((column) => {
              const { label, hidden } =
                typeof column === "string" ? { label: column, hidden: false } : column;
              return (
                <Th key={label} hidden={hidden}>
                  {label}
                </Th>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}
