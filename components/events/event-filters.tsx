import type { Route } from "next";
import Form from "next/form";
import { eventTypes } from "@/lib/validations/event";
import { DateRangeFields } from "../filters/date-range-fields";
import { inputClass } from "../ui/field";
import { type EventSearchValues, stateOptions } from "./event-search-params";

const labelClass = "block text-sm font-medium text-slate-800";

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
        className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-[minmax(0,1.4fr)_minmax(0,1fr)_minmax(0,1fr)_auto_auto] lg:items-end"
      >
        <div className="space-y-1">
          <label htmlFor="events-lead" className={labelClass}>
            Lead id or phone
          </label>
          <input
            id="events-lead"
            name="lead"
            type="search"
            maxLength={128}
            defaultValue={values.lead}
            placeholder="lead_123 or +919812345678"
            className={inputClass}
          />
        </div>
        <div className="space-y-1">
          <label htmlFor="events-type" className={labelClass}>
            Event type
          </label>
          <select id="events-type" name="type" defaultValue={values.type} className={inputClass}>
            <option value="">All types</option>
            {eventTypes.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="events-state" className={labelClass}>
            Delivery state
          </label>
          <select id="events-state" name="state" defaultValue={values.state} className={inputClass}>
            <option value="">Any</option>
            {stateOptions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
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
