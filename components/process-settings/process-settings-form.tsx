"use client";

import { useRouter } from "next/navigation";
import { lazy, Suspense, useRef, useState, useTransition } from "react";
import { FormProvider, type Path, useForm, useWatch } from "react-hook-form";
import { type ActionResult, messages } from "@/lib/errors";
import { formatDateTime } from "@/lib/format-date";
import type { ProcessSettingsInput, ProcessSettingsValues } from "@/lib/validations/process";
import type { ReplayOffer } from "@/lib/validations/replay";
import type { DeliveryActions } from "../deliveries/types";
import { Button } from "../ui/button";
import { AdvancedSettings } from "./advanced-settings";
import { CallbackFormStateContext } from "./callback-form-state";
import { focusFirstError } from "./focus-first-error";
import { ProcessDetailsFields } from "./process-details-fields";
import { ReplayOffers } from "./replay-offers";
import type { RevealSecret, RotateSecret } from "./signing-secret";
import { useSettingsValidation } from "./use-settings-validation";

// The callbacks (with their delivery logs, dialogs and switches) load when Advanced Settings first opens.
// React.lazy rather than next/dynamic: the same split without next/dynamic's own runtime in the page.
const CallbackList = lazy(() => import("./callback-list").then((m) => ({ default: m.CallbackList })));

export type SavedSettings = { values: ProcessSettingsInput; signingSecretHints: Record<string, string> };
export type SaveSettings = (
  values: ProcessSettingsValues,
) => Promise<ActionResult<SavedSettings & { replayOffers: ReplayOffer[] }>>;

type Props = {
  initial: SavedSettings;
  /** Callback fields with a problem in `initial`, counted on the server (see countCallbackErrors). */
  initialErrorCount: number;
  /** Per callback id, when a rotation's previous secret stops signing (ISO), while that overlap runs. */
  previousSecretExpiry: Record<string, string>;
  allowPrivateUrls: boolean;
  egressIps: string[];
  /** Whether whitelisted callbacks can be delivered (a static egress proxy is set up); without, they fail. */
  staticEgress: boolean;
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
  previousSecretExpiry,
  allowPrivateUrls,
  egressIps,
  staticEgress,
  save,
  deliveryActions,
  reveal,
  rotate,
}: Props) {
  const router = useRouter();
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
  // The problems the fields show, which the badge counts: the same set, so the two always agree.
  const problems =
    validation.problems?.(values, formState.errors, {
      callbacks: values.callbacks ?? [],
      submitted: formState.submitCount > 0,
    }) ?? null;
  const errorCount = problems?.size ?? initialErrorCount;
  const hasErrors = errorCount > 0 || Object.keys(formState.errors).some((key) => key !== "callbacks");
  const warningCount = staticEgress
    ? 0
    : (values.callbacks ?? []).filter((cb) => cb.requiresWhitelisting && cb.enabled).length;
  const [hints, setHints] = useState(initial.signingSecretHints);
  const [open, setOpen] = useState(false);
  // Once shown, the callbacks stay mounted (hidden when closed) so their state survives closing.
  const [callbacksShown, setCallbacksShown] = useState(false);
  const openSettings = (next: boolean) => {
    setOpen(next);
    if (next) {
      setCallbacksShown(true);
      // Stored problems show in their fields as soon as the callbacks do.
      validation.load().catch(() => undefined);
    }
  };
  // `invalid`: the banner is about the errors below, so it goes once none is left.
  const [banner, setBanner] = useState<{
    tone: "ok" | "error";
    text: string;
    conflict?: boolean;
    invalid?: boolean;
  } | null>(null);
  const shownBanner = banner?.invalid && !hasErrors ? null : banner;
  const [replayOffers, setReplayOffers] = useState<ReplayOffer[]>([]);
  const [saving, startSaving] = useTransition();
  const formRef = useRef<HTMLFormElement>(null);

  const focusErrors = (opensSettings: boolean) => {
    if (opensSettings) openSettings(true);
    focusFirstError(formRef);
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
        setReplayOffers(result.replayOffers);
        // The server-rendered parts (health, the turned-off banner, the backlog) follow the save.
        router.refresh();
        setBanner({ tone: "ok", text: `Saved at ${formatDateTime(new Date())}.` });
        return;
      }
      for (const [path, message] of Object.entries(result.fieldErrors)) {
        setError(path as Path<ProcessSettingsInput>, { type: "server", message });
      }
      setBanner({
        tone: "error",
        text: result.message,
        conflict: result.code === "conflict",
        invalid: Object.keys(result.fieldErrors).length > 0,
      });
      focusErrors(Object.keys(result.fieldErrors).some((p) => p.startsWith("callbacks")));
    });

  return (
    <FormProvider {...form}>
      <form
        method="post"
        ref={formRef}
        noValidate
        className="space-y-6"
        onFocus={() => void validation.load()}
        onSubmit={handleSubmit(onValid, (errors) => {
          setBanner({ tone: "error", text: messages.fixErrorsBeforeSaving, invalid: true });
          focusErrors(Boolean(errors.callbacks));
        })}
      >
        <fieldset disabled={readOnly} className="contents">
          <ProcessDetailsFields />
        </fieldset>

        <AdvancedSettings
          open={open}
          onOpenChange={openSettings}
          errorCount={errorCount}
          warningCount={warningCount}
          callbackCount={values.callbacks?.length ?? 0}
        >
          <CallbackFormStateContext value={{ problems, staticEgress }}>
            {callbacksShown ? (
              <Suspense fallback={<p className="text-sm text-slate-600">Loading callbacks…</p>}>
                <CallbackList
                  deliveryActions={deliveryActions}
                  egressIps={egressIps}
                  signingSecretHints={hints}
                  previousSecretExpiry={previousSecretExpiry}
                  reveal={reveal}
                  rotate={rotate}
                  readOnly={readOnly}
                />
              </Suspense>
            ) : null}
          </CallbackFormStateContext>
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
          {/* Nothing to save until something changes: the button says so by being off. */}
          <Button type="submit" disabled={saving || !formState.isDirty}>
            {saving ? "Saving…" : "Save"}
          </Button>
          {formState.isDirty ? (
            <span className="text-sm font-medium text-amber-700">Unsaved changes</span>
          ) : shownBanner ? null : (
            <span className="text-sm text-slate-500" data-testid="nothing-to-save">
              No changes to save
            </span>
          )}
          {shownBanner ? (
            <p
              role={shownBanner.tone === "ok" ? "status" : "alert"}
              className={shownBanner.tone === "ok" ? "text-sm text-emerald-700" : "text-sm text-red-700"}
            >
              {shownBanner.text}{" "}
              {shownBanner.conflict ? (
                <Button size="sm" variant="link" onClick={() => window.location.reload()}>
                  Reload
                </Button>
              ) : null}
            </p>
          ) : null}
          <ReplayOffers offers={replayOffers} onDismiss={() => setReplayOffers([])} />
        </div>
      </form>
    </FormProvider>
  );
}
