import type { ReactNode } from "react";
import { cn } from "./cn";

/**
 * A column header of the app's tables; `hidden` for one only screen readers need, `compact` for small
 * tables, `tight` for a table whose columns must all fit its box (less space between them).
 */
export function Th({
  children,
  compact,
  hidden,
  tight,
}: {
  children: ReactNode;
  compact?: boolean;
  hidden?: boolean;
  tight?: boolean;
}) {
  const padding = compact ? "py-1 pr-2" : tight ? "px-3 py-3 first:pl-4 last:pr-4" : "px-4 py-3";
  return (
    <th scope="col" className={`${padding} font-medium`}>
      {hidden ? <span className="sr-only">{children}</span> : children}
    </th>
  );
}

export type Column = string | { label: string; hidden?: boolean };

/** Below this breakpoint a `DataTable` shows each row as a card; from it on, as a table row. */
export type CardsBelow = "sm" | "lg";

// Written out in full for each breakpoint: Tailwind only sees class names that appear whole in the source.
const stacked = {
  sm: {
    table: "block sm:table",
    thead: "sr-only sm:not-sr-only",
    tbody: "block sm:table-row-group",
    row: "grid grid-cols-2 gap-x-4 gap-y-3 p-4 sm:table-row sm:p-0",
    cell: "block min-w-0 sm:table-cell sm:px-3 sm:py-3 sm:first:pl-4 sm:last:pr-4 before:mb-0.5 before:block before:text-xs before:font-medium before:tracking-wide before:text-slate-500 before:uppercase before:content-[attr(data-label)] sm:before:hidden sm:before:content-none",
  },
  lg: {
    table: "block lg:table",
    thead: "sr-only lg:not-sr-only",
    tbody: "block lg:table-row-group",
    row: "grid grid-cols-2 gap-x-4 gap-y-3 p-4 lg:table-row lg:p-0",
    cell: "block min-w-0 lg:table-cell lg:px-3 lg:py-3 lg:first:pl-4 lg:last:pr-4 before:mb-0.5 before:block before:text-xs before:font-medium before:tracking-wide before:text-slate-500 before:uppercase before:content-[attr(data-label)] lg:before:hidden lg:before:content-none",
  },
} as const;

/** A body row of a `DataTable` given `cardsBelow`: a card of stacked cells on a narrow screen. */
export function rowClass(cardsBelow: CardsBelow): string {
  return stacked[cardsBelow].row;
}

/**
 * A cell of such a row. On a card it shows its `data-label` (set it to the column's name) above its value;
 * `className` adds the cell's own classes (`col-span-2` for a value that needs the card's whole width).
 */
export function cellClass(cardsBelow: CardsBelow, className?: string): string {
  return cn(stacked[cardsBelow].cell, className);
}

/**
 * The app's tables: a caption for screen readers, a header row, and `children` as the body's rows. On a
 * narrow screen the table scrolls inside its own box (at least `minWidth` wide) instead of widening the
 * page; `relative` keeps screen-reader-only text inside that box too. With `cardsBelow`, the rows (built
 * with `rowClass` and `cellClass`) turn into stacked cards below that breakpoint instead, and the table
 * is meant to fit its box from there on.
 */
export function DataTable({
  caption,
  columns,
  minWidth = "min-w-[36rem]",
  cardsBelow,
  children,
}: {
  caption: string;
  columns: Column[];
  minWidth?: string;
  cardsBelow?: CardsBelow;
  children: ReactNode;
}) {
  const cards = cardsBelow ? stacked[cardsBelow] : undefined;
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className={cn("w-full text-left text-sm", cards ? cards.table : minWidth)}>
        <caption className="sr-only">{caption}</caption>
        <thead className={cn("bg-slate-50 text-xs tracking-wide text-slate-600 uppercase", cards?.thead)}>
          <tr>
            {columns.map((column) => {
              const { label, hidden } =
                typeof column === "string" ? { label: column, hidden: false } : column;
              return (
                <Th key={label} hidden={hidden} tight={Boolean(cards)}>
                  {label}
                </Th>
              );
            })}
          </tr>
        </thead>
        <tbody className={cn("divide-y divide-slate-100", cards?.tbody)}>{children}</tbody>
      </table>
    </div>
  );
}
