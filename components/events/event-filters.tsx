import type { Route } from "next";
import Form from "next/form";
import { eventTypes } from "@/lib/validations/event";
import { DateRangeFields } from "../filters/date-range-fields";
import { FilterField, FilterSelect } from "../filters/filter-fields";
import { inputClass } from "../ui/field";
import { type EventSearchValues, stateOptions } from "./event-search-params";

/**
 * Lead / Event type / Delivery state / From / To, sent as a GET form to `path` (the workspace's or a
 * process's Events page) so a filtered view is a shareable link.
 */
export function EventFilters({ path, values }: { path: string; values: EventSearchValues }) {
  return (
    <search>
      <Form
        action={path as Route}
        aria-label="Filter the events"
        className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-[minmax(17rem,1.4fr)_minmax(0,1fr)_minmax(0,1fr)_auto_auto] lg:items-end"
      >
        <FilterField id="events-lead" label="Lead id or phone">
          <input
            id="events-lead"
            name="lead"
            type="search"
            maxLength={128}
            defaultValue={values.lead}
            placeholder="lead_123 or +919812345678"
            className={inputClass}
          />
        </FilterField>
        <FilterSelect
          id="events-type"
          name="type"
          label="Event type"
          value={values.type}
          anyLabel="All types"
          options={eventTypes.map((type) => ({ value: type, label: type }))}
        />
        <FilterSelect
          id="events-state"
          name="state"
          label="Delivery state"
          value={values.state}
          anyLabel="Any"
          options={stateOptions}
        />
        <DateRangeFields
          idPrefix="events"
          values={values}
          clearHref={path}
          actionsClassName="sm:col-span-2 lg:col-span-5"
        />
      </Form>
      <p className="mt-1 text-xs text-slate-500">Dates are UTC days of receipt; both ends are included.</p>
    </search>
  );
}
