"use client";

import { useFormContext } from "react-hook-form";
import type { ProcessSettingsInput } from "@/lib/validations/process";
import { processStatuses } from "@/lib/validations/process-status";
import { Field, inputClass } from "../ui/field";

const statusLabels: Record<(typeof processStatuses)[number], string> = {
  active: "Active",
  paused: "Paused",
  archived: "Archived",
};

/** Name, description, language and status of a process. */
export function ProcessDetailsFields() {
  const { register, formState } = useFormContext<ProcessSettingsInput>();
  const { errors } = formState;
  return (
    <section
      aria-labelledby="process-details"
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-5"
    >
      <h2 id="process-details" className="text-lg font-semibold text-slate-900">
        Process details
      </h2>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="process-name" label="Name" error={errors.name?.message}>
          {(control) => (
            <input {...control} {...register("name")} autoComplete="off" className={inputClass} />
          )}
        </Field>
        <div className="grid grid-cols-2 gap-4">
          <Field id="process-language" label="Language" error={errors.language?.message}>
            {(control) => (
              <input {...control} {...register("language")} autoComplete="off" className={inputClass} />
            )}
          </Field>
          <Field id="process-status" label="Status" error={errors.status?.message}>
            {(control) => (
              <select {...control} {...register("status")} className={inputClass}>
                {processStatuses.map((status) => (
                  <option key={status} value={status}>
                    {statusLabels[status]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      </div>
      <Field id="process-description" label="Description" error={errors.description?.message}>
        {(control) => <textarea {...control} {...register("description")} rows={2} className={inputClass} />}
      </Field>
    </section>
  );
}
