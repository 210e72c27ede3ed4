"use client";

import { lazy, Suspense, useMemo, useRef, useState, useTransition } from "react";
import { FormProvider, type Path, useForm, useWatch } from "react-hook-form";
import type { ActionResult } from "@/lib/errors";
import type { ProcessSettingsInput, ProcessSettingsValues } from "@/lib/validations/process";
import type { DeliveryActions } from "../deliveries/types";
import { Button } from "../ui/button";
import { AdvancedSettings } from "./advanced-settings";
import { ProcessDetailsFields } from "./process-details-fields";
import type { RevealSecret, RotateSecret } from "./signing-secret";
import { useSettingsValidation } from "./use-settings-validation";

// The callbacks (with their delivery logs, dialogs and switches) load when Advanced Settings first opens.
// React.lazy rather than next/dynamic: the same split without next/dynamic's own runtime in the page.
const CallbackList = lazy(() => import("./callback-list").then((m) => ({ default: m.CallbackList })));

export type SavedSettings = { values: ProcessSettingsInput; signingSecretHints: Record<string, string> };
export type SaveSettings = (values: ProcessSettingsValues) => Promise<ActionResult<SavedSettings>>;

type Props = {
  initial: SavedSettings;
  /** Callback fields with a problem in `initial`, counted on the server (see countCallbackErrors). */
  initialErrorCount: number;
  allowPrivateUrls: boolean;
  egressIps: string[];
  /** Absent for a viewer: the form is read-only and has no Save. */
  save?: SaveSettings;
  deliveryActions: DeliveryActions;
  reveal?: RevealSecret;
  rotate?: RotateSecret;
};

/** The process page's one form: details and Lead Update Callbacks, saved together. */
export function ProcessSettingsForm({
  initial,
  initialErrorCount,
  allowPrivateUrls,
  egressIps,
  save,
  deliveryActions,
  reveal,
  rotate,
}: Props) {
  const validation = useSettingsValidation(allowPrivateUrls);
  const form = useForm<ProcessSettingsInput, unknown, ProcessSettingsValues>({
    resolver: validation.resolver,
    defaultValues: initial.values,
    mode: "onChange",
    reValidateMode: "onChange",
    shouldFocusError: false,
  });
  const { control, handleSubmit, formState, reset, setError } = form;
  const values = useWatch({ control }) as ProcessSettingsInput;
  const errorCount = useMemo(
    () => validation.countErrors?.(values, formState.errors) ?? initialErrorCount,
    [validation.countErrors, values, formState.errors, initialErrorCount],
  );
  const [hints, setHints] = useState(initial.signingSecretHints);
  const [open, setOpen] = useState(false);
  // Once shown, the callbacks stay mounted (hidden when closed) so their state survives closing.
  const [callbacksShown, setCallbacksShown] = useState(false);
  const openSettings = (next: boolean) => {
    setOpen(next);
    if (next) setCallbacksShown(true);
  };
  const [banner, setBanner] = useState<{ tone: "ok" | "error"; text: string; conflict?: boolean } | null>(
    null,
  );
  const [saving, startSaving] = useTransition();
  const formRef = useRef<HTMLFormElement>(null);

  const focusFirstError = (opensSettings: boolean) => {
    if (opensSettings) openSettings(true);
    // Wait for Advanced Settings to show its content, which may still be loading, before focusing inside.
    let frames = 0;
    const focus = () => {
      const target = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      if (target) target.focus();
      else if (opensSettings && ++frames < 300) requestAnimationFrame(focus);
    };
    requestAnimationFrame(() => requestAnimationFrame(focus));
  };

  const readOnly = !save;
  const onValid = (data: ProcessSettingsValues) =>
    startSaving(async () => {
      if (!save) return;
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
        onFocus={() => void validation.load()}
        onSubmit={handleSubmit(onValid, (errors) => {
          setBanner({ tone: "error", text: "Fix the errors below before saving." });
          focusFirstError(Boolean(errors.callbacks));
        })}
      >
        <fieldset disabled={readOnly} className="contents">
          <ProcessDetailsFields />
        </fieldset>

        <AdvancedSettings open={open} onOpenChange={openSettings} errorCount={errorCount}>
          {callbacksShown ? (
            <Suspense fallback={<p className="text-sm text-slate-600">Loading callbacks…</p>}>
              <CallbackList
                deliveryActions={deliveryActions}
                egressIps={egressIps}
                signingSecretHints={hints}
                reveal={reveal}
                rotate={rotate}
                readOnly={readOnly}
              />
            </Suspense>
          ) : null}
        </AdvancedSettings>

        {readOnly ? (
          <p className="border-t border-slate-200 py-4 text-sm text-slate-600">
            You have the viewer role in this workspace: you can read this process and its deliveries, but not
            change them.
          </p>
        ) : null}
        <div
          hidden={readOnly}
          className="sticky bottom-0 flex flex-wrap items-center gap-3 border-t border-slate-200 bg-white/95 py-4 backdrop-blur"
        >
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
