import { type AuditAction, auditActions, isAuditAction } from "@/lib/audit";
import { isUuid } from "@/lib/uuid";

export const AUDIT_LOG_PATH = "/settings/audit-log";

/** The filters as the form and the links carry them: only values that passed the checks, "" when unset. */
export type AuditSearchValues = { person: string; action: string; from: string; to: string };

export type AuditSearch = {
  values: AuditSearchValues;
  cursor?: string;
  filters: { actorId?: string; action?: AuditAction; from?: Date; to?: Date; cursor?: string };
  /** A sentence per value that was ignored, for the top of the page. */
  problems: string[];
};

type Params = Record<string, string | string[] | undefined>;

function one(params: Params, name: string): string {
  const value = params[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? "";
}

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

/** Reads the page's query string; a value that fails its check is dropped and explained, never fatal. */
export function parseAuditSearch(params: Params): AuditSearch {
  const problems: string[] = [];
  const values: AuditSearchValues = { person: "", action: "", from: "", to: "" };
  const filters: AuditSearch["filters"] = {};

  const person = one(params, "person");
  if (person && isUuid(person)) {
    values.person = person;
    filters.actorId = person;
  } else if (person) {
    problems.push("The Person in this link is not valid, so entries by everyone are shown.");
  }

  const action = one(params, "action");
  if (action && isAuditAction(action)) {
    values.action = action;
    filters.action = action;
  } else if (action) {
    problems.push(`“${action}” is not an action the log records, so all actions are shown.`);
  }

  for (const [name, label] of [
    ["from", "From"],
    ["to", "To"],
  ] as const) {
    const text = one(params, name);
    const day = text ? utcDay(text) : undefined;
    if (day) {
      values[name] = text;
      filters[name] = name === "from" ? day : new Date(day.getTime() + DAY_MS - 1);
    } else if (text) {
      problems.push(`${label} “${text}” is not a date (use YYYY-MM-DD), so it was ignored.`);
    }
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    problems.push("From is after To, so no entry can match.");
  }

  const cursor = one(params, "cursor") || undefined;
  if (cursor) filters.cursor = cursor;
  return { values, cursor, filters, problems };
}

/** The page's address with these filters (empty ones left out) and, for an older page, its cursor. */
export function auditLogHref(values: AuditSearchValues, cursor?: string): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) query.set(name, value);
  if (cursor) query.set("cursor", cursor);
  const text = query.toString();
  return text ? `${AUDIT_LOG_PATH}?${text}` : AUDIT_LOG_PATH;
}

export function hasFilters(values: AuditSearchValues): boolean {
  return Object.values(values).some(Boolean);
}

export const actionOptions = Object.entries(auditActions).map(([value, label]) => ({ value, label }));
