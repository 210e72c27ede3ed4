import type { Route } from "next";
import Link from "next/link";
import { FilterProblems } from "../filters/date-range-fields";
import { EventFilters } from "./event-filters";
import { type EventSearch, eventsHref, hasFilters } from "./event-search-params";
import { type EventRow, EventTable } from "./event-table";

const linkClass = "text-sm font-medium text-brand-700 hover:underline";

/**
 * The body of an Events page (the workspace's or a process's, at `path`): what was wrong with the link,
 * the filters, one page of events or why there are none, and the links to older and newest events.
 */
export function EventLogView({
  path,
  search,
  page,
  showProcess = true,
}: {
  path: string;
  search: EventSearch;
  page: { rows: EventRow[]; nextCursor: string | null };
  showProcess?: boolean;
}) {
  const filtered = hasFilters(search.values);
  return (
    <>
      <FilterProblems problems={search.problems} />
      {/* Keyed by the query so that Clear or a back navigation resets the form's uncontrolled fields. */}
      <EventFilters key={eventsHref(path, search.values)} path={path} values={search.values} />
      {page.rows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
          <p className="font-medium text-slate-800">
            {filtered
              ? "No events match these filters"
              : search.cursor
                ? "No older events"
                : "No events yet — producers POST them to /api/events"}
          </p>
          <p className="mt-1 text-sm text-slate-600">
            {filtered
              ? "Widen the dates, or choose All types and Any delivery state."
              : "Each accepted event appears here with what became of its delivery to every callback."}
          </p>
        </div>
      ) : (
        <EventTable rows={page.rows} showProcess={showProcess} />
      )}
      {page.nextCursor || search.cursor ? (
        <nav aria-label="Event pages" className="flex flex-wrap items-center gap-4">
          {search.cursor ? (
            <Link href={eventsHref(path, search.values) as Route} className={linkClass}>
              Newest
            </Link>
          ) : null}
          {page.nextCursor ? (
            <Link href={eventsHref(path, search.values, page.nextCursor) as Route} className={linkClass}>
              Older events
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
