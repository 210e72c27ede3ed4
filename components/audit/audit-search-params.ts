import { type AuditAction, auditActions, isAuditAction } from "@/lib/audit";
import { isUuid } from "@/lib/uuid";
import { parseDateRange, queryValue } from "../filters/date-range";

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

/** Reads the page's query string; a value that fails its check is dropped and explained, never fatal. */
export function parseAuditSearch(params: Params): AuditSearch {
  const problems: string[] = [];
  const values: AuditSearchValues = { person: "", action: "", from: "", to: "" };
  const filters: AuditSearch["filters"] = {};

  const person = queryValue(params, "person");
  if (person && isUuid(person)) {
    values.person = person;
    filters.actorId = person;
  } else if (person) {
    problems.push("The Person in this link is not valid, so entries by everyone are shown.");
  }

  const action = queryValue(params, "action");
  if (action && isAuditAction(action)) {
    values.action = action;
    filters.action = action;
  } else if (action) {
    problems.push(`“${action}” is not an action the log records, so all actions are shown.`);
  }

  const range = parseDateRange(params, "entry");
  Object.assign(values, range.values);
  Object.assign(filters, range.bounds);
  problems.push(...range.problems);

  const cursor = queryValue(params, "cursor") || undefined;
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
