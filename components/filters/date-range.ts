import { queryValue, type SearchParams } from "./search-params";

const DAY_MS = 86_400_000;

/** A YYYY-MM-DD date input as the start of that day in UTC, or undefined if it names no real day. */
export function utcDay(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  const real =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? date : undefined;
}

/**
 * The From / To filters of a list page, as UTC days with both ends included: the values the form shows
 * again (only ones that passed), the bounds to query with, and a sentence per value that was dropped.
 */
export function parseDateRange(params: SearchParams, what: string) {
  const values = { from: "", to: "" };
  const bounds: { from?: Date; to?: Date } = {};
  const problems: string[] = [];
  for (const [name, label] of [
    ["from", "From"],
    ["to", "To"],
  ] as const) {
    const text = queryValue(params, name);
    const day = text ? utcDay(text) : undefined;
    if (day) {
      values[name] = text;
      bounds[name] = name === "from" ? day : new Date(day.getTime() + DAY_MS - 1);
    } else if (text) {
      problems.push(`${label} “${text}” is not a date (use YYYY-MM-DD), so it was ignored.`);
    }
  }
  if (bounds.from && bounds.to && bounds.from > bounds.to) {
    problems.push(`From is after To, so no ${what} can match.`);
  }
  return { values, bounds, problems };
}

/**
 * A list page's search, completed with what every list takes: the From/To days (parseDateRange) and the
 * cursor of an older page. `values`, `filters` and `problems` are what the page's own filters gave.
 */
export function withRangeAndCursor<V extends { from: string; to: string }, F extends object>(
  params: SearchParams,
  what: string,
  { values, filters, problems }: { values: V; filters: F; problems: string[] },
) {
  const range = parseDateRange(params, what);
  const cursor = queryValue(params, "cursor") || undefined;
  return {
    values: { ...values, ...range.values },
    cursor,
    filters: { ...filters, ...range.bounds, ...(cursor ? { cursor } : {}) },
    problems: [...problems, ...range.problems],
  };
}
