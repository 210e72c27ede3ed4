import { type AuditAction, auditActions, isAuditAction } from "@/lib/audit";
import { isUuid } from "@/lib/uuid";
import { withRangeAndCursor } from "../filters/date-range";
import { checkedValue, filterHref, type SearchParams } from "../filters/search-params";

export { hasFilters } from "../filters/search-params";

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

/** Reads the page's query string; a value that fails its check is dropped and explained, never fatal. */
export function parseAuditSearch(params: SearchParams): AuditSearch {
  const problems: string[] = [];
  const values: AuditSearchValues = { person: "", action: "", from: "", to: "" };
  const filters: AuditSearch["filters"] = {};

  const person = checkedValue(
    params,
    "person",
    (v): v is string => isUuid(v),
    () => "The Person in this link is not valid, so entries by everyone are shown.",
    problems,
  );
  if (person) values.person = filters.actorId = person;
  const action = checkedValue(
    params,
    "action",
    isAuditAction,
    (v) => `“${v}” is not an action the log records, so all actions are shown.`,
    problems,
  );
  if (action) values.action = filters.action = action;

  return withRangeAndCursor(params, "entry", { values, filters, problems });
}

/** The page's address with these filters (empty ones left out) and, for an older page, its cursor. */
export function auditLogHref(values: AuditSearchValues, cursor?: string): string {
  return filterHref(AUDIT_LOG_PATH, values, cursor);
}

export const actionOptions = Object.entries(auditActions).map(([value, label]) => ({ value, label }));
