import Form from "next/form";
import { DateRangeFields } from "../filters/date-range-fields";
import { FilterSelect } from "../filters/filter-fields";
import { AUDIT_LOG_PATH, type AuditSearchValues, actionOptions } from "./audit-search-params";
import type { AuditActorOption } from "./types";

/** One option per person: someone renamed since appears in the log under more than one label. */
function personOptions(actors: { id: string | null; label: string }[]): AuditActorOption[] {
  const seen = new Map<string, AuditActorOption>();
  for (const actor of actors)
    if (actor.id && !seen.has(actor.id)) seen.set(actor.id, { id: actor.id, label: actor.label });
  return [...seen.values()];
}

/** The Person / Action / From / To filters, sent as a GET form so a filtered view is a shareable link. */
export function AuditFilters({
  values,
  actors,
}: {
  values: AuditSearchValues;
  actors: { id: string | null; label: string }[];
}) {
  return (
    <search>
      <Form
        action={AUDIT_LOG_PATH}
        aria-label="Filter the audit log"
        className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_auto_auto_auto] lg:items-end"
      >
        <FilterSelect
          id="audit-person"
          name="person"
          label="Person"
          value={values.person}
          anyLabel="Everyone"
          options={personOptions(actors).map((actor) => ({ value: actor.id, label: actor.label }))}
        />
        <FilterSelect
          id="audit-action"
          name="action"
          label="Action"
          value={values.action}
          anyLabel="All actions"
          options={actionOptions}
        />
        <DateRangeFields
          idPrefix="audit"
          values={values}
          clearHref={AUDIT_LOG_PATH}
          actionsClassName="sm:col-span-2 lg:col-span-1"
        />
      </Form>
      <p className="mt-1 text-xs text-slate-500">Dates are UTC days; both ends are included.</p>
    </search>
  );
}
