import type { DeliveryState, EventLogFilters } from "@/db/queries/event-log";
import { type EventType, eventTypes } from "@/lib/validations/event";
import { parseDateRange, queryValue } from "../filters/date-range";

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

type Params = Record<string, string | string[] | undefined>;

/** As long as a producer's lead id may be (lib/validations/event.ts); a phone number is shorter. */
const MAX_LEAD = 128;
// biome-ignore lint/suspicious/noControlCharactersInRegex: a lead id or phone is printable text
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Reads the page's query string; a value that fails its check is dropped and explained, never fatal. */
export function parseEventSearch(params: Params): EventSearch {
  const problems: string[] = [];
  const values: EventSearchValues = { lead: "", type: "", state: "", from: "", to: "" };
  const filters: EventSearch["filters"] = {};

  const lead = queryValue(params, "lead");
  if (lead && lead.length <= MAX_LEAD && !CONTROL.test(lead)) {
    values.lead = lead;
    filters.lead = lead;
  } else if (lead) {
    problems.push("The Lead id or phone in this link is not valid, so events of every lead are shown.");
  }

  const type = queryValue(params, "type");
  if (type && isEventType(type)) {
    values.type = type;
    filters.type = type;
  } else if (type) {
    problems.push(`“${type}” is not an event type, so all types are shown.`);
  }

  const state = queryValue(params, "state");
  if (state && isDeliveryState(state)) {
    values.state = state;
    filters.state = state;
  } else if (state) {
    problems.push(`“${state}” is not a delivery state, so events in any state are shown.`);
  }

  const range = parseDateRange(params, "event");
  Object.assign(values, range.values);
  Object.assign(filters, range.bounds);
  problems.push(...range.problems);

  const cursor = queryValue(params, "cursor") || undefined;
  if (cursor) filters.cursor = cursor;
  return { values, cursor, filters, problems };
}

/** `path` (the workspace's or a process's Events page) with these filters, empty ones left out, and a cursor. */
export function eventsHref(path: string, values: EventSearchValues, cursor?: string): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) query.set(name, value);
  if (cursor) query.set("cursor", cursor);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

export function hasFilters(values: EventSearchValues): boolean {
  return Object.values(values).some(Boolean);
}
