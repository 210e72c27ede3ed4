import { type EventType, eventTypes } from "@/lib/validations/event";
import type { DeliveryState, EventLogFilters } from "@/lib/validations/event-log";
import { withRangeAndCursor } from "../filters/date-range";
import { checkedValue, filterHref, type SearchParams } from "../filters/search-params";

export { hasFilters } from "../filters/search-params";

export const EVENTS_PATH = "/events";

/** The Events page of one process. */
export function processEventsPath(processId: string): string {
  return `/processes/${encodeURIComponent(processId)}/events`;
}

export function eventPath(eventId: string): string {
  return `${EVENTS_PATH}/${encodeURIComponent(eventId)}`;
}

/** The filters as the form and the links carry them: only values that passed the checks, "" when unset. */
export type EventSearchValues = { lead: string; type: string; state: string; from: string; to: string };

export type EventSearch = {
  values: EventSearchValues;
  cursor?: string;
  filters: Omit<EventLogFilters, "processId">;
  /** A sentence per value that was ignored, for the top of the page. */
  problems: string[];
};

/** The delivery states the filter offers, in the words of the page; typed against the query's states. */
export const deliveryStateLabels: Record<DeliveryState, string> = {
  succeeded: "Succeeded",
  failing: "Failing",
  pending: "Pending",
  not_subscribed: "Not subscribed",
};

export const stateOptions = Object.entries(deliveryStateLabels).map(([value, label]) => ({ value, label }));

function isDeliveryState(value: string): value is DeliveryState {
  return Object.hasOwn(deliveryStateLabels, value);
}

function isEventType(value: string): value is EventType {
  return (eventTypes as readonly string[]).includes(value);
}

/** As long as a producer's lead id may be (lib/validations/event.ts); a phone number is shorter. */
const MAX_LEAD = 128;
// biome-ignore lint/suspicious/noControlCharactersInRegex: a lead id or phone is printable text
const CONTROL = /[\u0000-\u001f\u007f]/;

function isLeadQuery(value: string): value is string {
  return value.length <= MAX_LEAD && !CONTROL.test(value);
}

/** Reads the page's query string; a value that fails its check is dropped and explained, never fatal. */
export function parseEventSearch(params: SearchParams): EventSearch {
  const problems: string[] = [];
  const values: EventSearchValues = { lead: "", type: "", state: "", from: "", to: "" };
  const filters: EventSearch["filters"] = {};

  const lead = checkedValue(
    params,
    "lead",
    isLeadQuery,
    () => "The Lead id or phone in this link is not valid, so events of every lead are shown.",
    problems,
  );
  if (lead) values.lead = filters.lead = lead;
  const type = checkedValue(
    params,
    "type",
    isEventType,
    (v) => `“${v}” is not an event type, so all types are shown.`,
    problems,
  );
  if (type) values.type = filters.type = type;
  const state = checkedValue(
    params,
    "state",
    isDeliveryState,
    (v) => `“${v}” is not a delivery state, so events in any state are shown.`,
    problems,
  );
  if (state) values.state = filters.state = state;

  return withRangeAndCursor(params, "event", { values, filters, problems });
}

/** `path` (the workspace's or a process's Events page) with these filters, empty ones left out, and a cursor. */
export function eventsHref(path: string, values: EventSearchValues, cursor?: string): string {
  return filterHref(path, values, cursor);
}
