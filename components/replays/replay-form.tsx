"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { type Path, useForm } from "react-hook-form";
import { callbackLabel } from "@/lib/callback-label";
import type { ActionResult } from "@/lib/errors";
import { eventTypes } from "@/lib/validations/event";
import { type ReplayInput, replaySchema } from "@/lib/validations/replay";
import { Button } from "../ui/button";
import { Field, inputClass } from "../ui/field";
import { FormAlert } from "../ui/form-alert";

export type ReplayCallbackOption = {
  id: string;
  position: number;
  name: string | null;
  url: string;
  enabled: boolean;
};
type Counts = { again: number; missed: number };

const fields = ["callbackId", "include", "from", "to", "eventTypes", "leadStatus", "disposition"];

/** "42 deliveries: 30 sent again, 12 for the first time (missed while a callback was off)." */
export function countsText({ again, missed }: Counts): string {
  const total = again + missed;
  if (total === 0) return "Nothing matches these filters.";
  const parts = [
    again ? `${again} sent again` : null,
    missed ? `${missed} for the first time (missed while a callback was off)` : null,
  ].filter(Boolean);
  return `${total} ${total === 1 ? "delivery" : "deliveries"}: ${parts.join(", ")}.`;
}

/**
 * "Replay deliveries": which callbacks, which deliveries, which events. Preview counts what it would
 * send; Start hands it to the delivery engine, and the list below follows its progress.
 */
export function ReplayForm({
  callbacks,
  defaults,
  leadValues,
  preview,
  start,
}: {
  callbacks: ReplayCallbackOption[];
  defaults: ReplayInput;
  leadValues: { statuses: string[]; dispositions: string[] };
  preview: (input: ReplayInput) => Promise<ActionResult<Counts>>;
  start: (input: ReplayInput) => Promise<ActionResult<{ id: string; total: number }>>;
}) {
  const router = useRouter();
  const uid = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState, watch } = useForm<ReplayInput>({
    resolver: zodResolver(replaySchema),
    defaultValues: defaults,
  });
  const { errors, isSubmitting } = formState;
  // Which button submitted: read when the submit runs, after the click that set it.
  const intent = useRef<"preview" | "start">("preview");

  const refused = (result: Extract<ActionResult, { ok: false }>) => {
    const known = Object.entries(result.fieldErrors).filter(([path]) =>
      fields.includes(path.split(".")[0] ?? ""),
    );
    for (const [path, message] of known) setError(path as Path<ReplayInput>, { type: "server", message });
    if (known.length === 0 || result.code !== "invalid_request") setProblem(result.message);
  };

  const onSubmit = async (values: ReplayInput) => {
    setProblem(null);
    setOutcome(null);
    if (intent.current === "preview") {
      const result = await preview(values);
      if (result.ok) setOutcome(countsText(result));
      else refused(result);
      return;
    }
    const result = await start(values);
    if (!result.ok) return refused(result);
    setOutcome(`Replay started: ${result.total} ${result.total === 1 ? "delivery" : "deliveries"} to send.`);
    router.refresh();
  };
  const id = (name: string) => `${uid}-${name}`;
  const selected = watch("callbackId");

  return (
    <section
      aria-labelledby={id("title")}
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-5"
    >
      <h2 id={id("title")} className="text-lg font-semibold">
        Replay deliveries
      </h2>
      <form method="post" noValidate className="space-y-4" onSubmit={handleSubmit(onSubmit)}>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id={id("callback")} label="Callback" error={errors.callbackId?.message}>
            {(control) => (
              <select {...control} {...register("callbackId")} className={inputClass}>
                <option value="all">Every callback that is on</option>
                {callbacks.map((cb) => (
                  <option key={cb.id} value={cb.id}>
                    {callbackLabel(cb)}: {cb.url}
                    {cb.enabled ? "" : " (off)"}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <fieldset className="space-y-1">
            <legend className="text-sm font-medium text-slate-800">Deliveries</legend>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" value="failed" {...register("include")} />
              Failed ones, and events missed while off
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" value="all" {...register("include")} />
              Every one, including those that succeeded
            </label>
          </fieldset>
          <Field
            id={id("from")}
            label="From (UTC)"
            error={errors.from?.message}
            hint="Events received at or after this time."
          >
            {(control) => (
              <input {...control} {...register("from")} type="datetime-local" className={inputClass} />
            )}
          </Field>
          <Field
            id={id("to")}
            label="To (UTC)"
            error={errors.to?.message}
            hint="Events received before this time. Empty: until the replay starts."
          >
            {(control) => (
              <input {...control} {...register("to")} type="datetime-local" className={inputClass} />
            )}
          </Field>
          {(
            [
              ["leadStatus", "Lead status", leadValues.statuses],
              ["disposition", "Disposition", leadValues.dispositions],
            ] as const
          ).map(([name, label, suggestions]) => (
            <Field
              key={name}
              id={id(name)}
              label={label}
              error={errors[name]?.message}
              hint="Any, when empty."
            >
              {(control) => (
                <>
                  <input
                    {...control}
                    {...register(name)}
                    list={id(`${name}-values`)}
                    autoComplete="off"
                    className={inputClass}
                  />
                  {/* The values the process's leads have: suggestions, any text is accepted. */}
                  <datalist id={id(`${name}-values`)}>
                    {suggestions.map((v) => (
                      <option key={v} value={v} />
                    ))}
                  </datalist>
                </>
              )}
            </Field>
          ))}
        </div>
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium text-slate-800">Event types</legend>
          <p className="text-xs text-slate-500">Every type, when none is checked.</p>
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {eventTypes.map((type) => (
              <label key={type} className="flex items-center gap-2 font-mono text-sm">
                <input type="checkbox" value={type} {...register("eventTypes")} />
                {type}
              </label>
            ))}
          </div>
        </fieldset>
        <p className="text-xs text-slate-500">
          Each delivery sent again keeps its webhook-id and body and gets a new attempt, so a receiver that
          de-duplicates by webhook-id handles it once.
          {selected === "all" ? " Callbacks that are off are left out." : ""}
        </p>
        <div className="flex flex-wrap items-center gap-3">
          <Button
            type="submit"
            variant="secondary"
            disabled={isSubmitting}
            onClick={() => {
              intent.current = "preview";
            }}
          >
            {isSubmitting && intent.current === "preview" ? "Counting…" : "Preview"}
          </Button>
          <Button
            type="submit"
            disabled={isSubmitting}
            onClick={() => {
              intent.current = "start";
            }}
          >
            {isSubmitting && intent.current === "start" ? "Starting…" : "Start replay"}
          </Button>
          {outcome ? (
            <p role="status" className="text-sm text-slate-800">
              {outcome}
            </p>
          ) : null}
        </div>
      </form>
      <FormAlert>{problem}</FormAlert>
    </section>
  );
}
