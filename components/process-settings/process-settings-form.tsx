"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo, useRef, useState, useTransition } from "react";
import { FormProvider, type Path, useFieldArray, useForm, useWatch } from "react-hook-form";
import type { ActionResult } from "@/lib/errors";
import { emptyCallback, MAX_CALLBACKS } from "@/lib/validations/callback";
import {
  createProcessSettingsSchema,
  type ProcessSettingsInput,
  type ProcessSettingsValues,
} from "@/lib/validations/process";
import type { DeliveryActions } from "../deliveries/types";
import { Button } from "../ui/button";
import { AdvancedSettings, countCallbackErrors } from "./advanced-settings";
import { CallbackBlock } from "./callback-block";
import { ProcessDetailsFields } from "./process-details-fields";
import type { RevealSecret, RotateSecret } from "./signing-secret";

export type SavedSettings = { values: ProcessSettingsInput; signingSecretHints: Record<string, string> };
export type SaveSettings = (values: ProcessSettingsValues) => Promise<ActionResult<SavedSettings>>;

type Props = {
  initial: SavedSettings;
  allowPrivateUrls: boolean;
  egressIps: string[];
  save: SaveSettings;
  deliveryActions: DeliveryActions;
  reveal: RevealSecret;
  rotate: RotateSecret;
};

/** The process page's one form: details and Lead Update Callbacks, saved together. */
export function ProcessSettingsForm({
  initial,
  allowPrivateUrls,
  egressIps,
  save,
  deliveryActions,
  reveal,
  rotate,
}: Props) {
  const schema = useMemo(() => createProcessSettingsSchema({ allowPrivateUrls }), [allowPrivateUrls]);
  const form = useForm<ProcessSettingsInput, unknown, ProcessSettingsValues>({
    resolver: zodResolver(schema),
    defaultValues: initial.values,
    mode: "onChange",
    reValidateMode: "onChange",
    shouldFocusError: false,
  });
  const { control, handleSubmit, formState, reset, setError } = form;
  const callbacks = useFieldArray({ control, name: "callbacks", keyName: "fieldKey" });
  const values = useWatch({ control }) as ProcessSettingsInput;
  const errorCount = useMemo(
    () => countCallbackErrors(schema.safeParse(values), formState.errors),
    [schema, values, formState.errors],
  );
  const [hints, setHints] = useState(initial.signingSecretHints);
  const [open, setOpen] = useState(false);
  const [banner, setBanner] = useState<{ tone: "ok" | "error"; text: string; conflict?: boolean } | null>(
    null,
  );
  const [saving, startSaving] = useTransition();
  const formRef = useRef<HTMLFormElement>(null);

  const focusFirstError = (opensSettings: boolean) => {
    if (opensSettings) setOpen(true);
    // Wait for the accordion to show its content before focusing inside it.
    requestAnimationFrame(() =>
      requestAnimationFrame(() =>
        formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
      ),
    );
  };

  const onValid = (data: ProcessSettingsValues) =>
    startSaving(async () => {
      setBanner(null);
      const result = await save(data);
      if (result.ok) {
        reset(result.values);
        setHints(result.signingSecretHints);
        setBanner({ tone: "ok", text: `Saved at ${new Date().toLocaleTimeString()}.` });
        return;
      }
      for (const [path, message] of Object.entries(result.fieldErrors)) {
        setError(path as Path<ProcessSettingsInput>, { type: "server", message });
      }
      setBanner({ tone: "error", text: result.message, conflict: result.code === "conflict" });
      focusFirstError(Object.keys(result.fieldErrors).some((p) => p.startsWith("callbacks")));
    });

  return (
    <FormProvider {...form}>
      <form
        ref={formRef}
        noValidate
        className="space-y-6"
        onSubmit={handleSubmit(onValid, (errors) => {
          setBanner({ tone: "error", text: "Fix the errors below before saving." });
          focusFirstError(Boolean(errors.callbacks));
        })}
      >
        <ProcessDetailsFields />

        <AdvancedSettings open={open} onOpenChange={setOpen} errorCount={errorCount}>
          <div className="space-y-4">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <div>
                <h3 className="text-base font-semibold text-slate-900">Lead Update Callbacks</h3>
                <p className="text-sm text-slate-600">
                  Webhook URLs that receive a POST when a call attempt completes, a lead's status changes, a
                  final disposition is marked, or the latest activity changes.
                </p>
              </div>
              <Button
                variant="secondary"
                disabled={callbacks.fields.length >= MAX_CALLBACKS}
                onClick={() =>
                  callbacks.append(emptyCallback(), { focusName: `callbacks.${callbacks.fields.length}.url` })
                }
              >
                + Add Callback
              </Button>
            </div>
            {callbacks.fields.length >= MAX_CALLBACKS ? (
              <p className="text-sm text-slate-600">A process can have at most {MAX_CALLBACKS} callbacks.</p>
            ) : null}
            {callbacks.fields.length === 0 ? (
              <p className="rounded-md border border-dashed border-slate-300 p-4 text-sm text-slate-600">
                No callbacks yet. Click + Add Callback to send lead updates to your webhook endpoint.
              </p>
            ) : null}
            {callbacks.fields.map((field, index) => (
              <CallbackBlock
                key={field.fieldKey}
                index={index}
                deliveryActions={deliveryActions}
                egressIps={egressIps}
                signingSecretHint={field.id ? hints[field.id] : undefined}
                onRemove={() => callbacks.remove(index)}
                reveal={reveal}
                rotate={rotate}
              />
            ))}
          </div>
        </AdvancedSettings>

        <div className="sticky bottom-0 flex flex-wrap items-center gap-3 border-t border-slate-200 bg-white/95 py-4 backdrop-blur">
          <Button type="submit" disabled={saving}>
            {saving ? "Saving…" : "Save"}
          </Button>
          {formState.isDirty ? (
            <span className="text-sm font-medium text-amber-700">Unsaved changes</span>
          ) : null}
          {banner ? (
            <p
              role={banner.tone === "ok" ? "status" : "alert"}
              className={banner.tone === "ok" ? "text-sm text-emerald-700" : "text-sm text-red-700"}
            >
              {banner.text}{" "}
              {banner.conflict ? (
                <Button size="sm" variant="link" onClick={() => window.location.reload()}>
                  Reload
                </Button>
              ) : null}
            </p>
          ) : null}
        </div>
      </form>
    </FormProvider>
  );
}
