import { FilterProblems } from "../filters/date-range-fields";
import { EmptyListText, ListPager } from "../filters/list-parts";
import { EventFilters } from "./event-filters";
import { type EventSearch, eventsHref, hasFilters } from "./event-search-params";
import { type EventRow, EventTable } from "./event-table";

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
        <EmptyListText
          title={
            filtered
              ? "No events match these filters"
              : search.cursor
                ? "No older events"
                : "No events yet — producers POST them to /api/events"
          }
          detail={
            filtered
              ? "Widen the dates, or choose All types and Any delivery state."
              : "Each accepted event appears here with what became of its delivery to every callback."
          }
        />
      ) : (
        <EventTable rows={page.rows} showProcess={showProcess} />
      )}
      <ListPager
        label="Event pages"
        newestHref={search.cursor ? eventsHref(path, search.values) : undefined}
        olderHref={page.nextCursor ? eventsHref(path, search.values, page.nextCursor) : undefined}
        olderLabel="Older events"
      />
    </>
  );
}
