"use client";

import { useId, useState } from "react";
import { Controller, useFormContext, useWatch } from "react-hook-form";
import { callbackLabel } from "@/lib/callback-label";
import { isPlainHttp, MAX_CALLBACK_NAME_LENGTH } from "@/lib/validations/callback";
import type { ProcessSettingsInput } from "@/lib/validations/process";
import { DeliveryLog } from "../deliveries/delivery-log";
import type { DeliveryActions } from "../deliveries/types";
import { Badge } from "../ui/badge";
import { RowDangerButton } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { Field, FieldMessage, inputClass } from "../ui/field";
import { Switch } from "../ui/switch";
import { CallbackAuthFields } from "./callback-auth-fields";
import { useCallbackFormState, useCallbackProblems } from "./callback-form-state";
import { CallbackHeading } from "./callback-heading";
import {
  AutoDisabledNotice,
  CallbackHealthLine,
  showsAutoDisabled,
  useCallbackHealth,
  useUpdateCallbackHealth,
} from "./callback-health";
import { callbackSummary, startsExpanded } from "./callback-summary";
import { egressNote } from "./egress-note";
import { type RevealSecret, type RotateSecret, SigningSecret } from "./signing-secret";

type Props = {
  index: number;
  deliveryActions: DeliveryActions;
  egressIps: string[];
  signingSecretHint: string | undefined;
  previousSecretExpiresAt: string | undefined;
  onRemove: () => void;
  reveal?: RevealSecret;
  rotate?: RotateSecret;
  /** A viewer's page: every field disabled, no Remove. */
  readOnly: boolean;
};

/** One block of Lead Update Callbacks ("CRM sync", or "Callback N" unnamed), collapsible to a one-line summary. */
export function CallbackBlock({
  index,
  deliveryActions,
  egressIps,
  signingSecretHint,
  previousSecretExpiresAt,
  onRemove,
  reveal,
  rotate,
  readOnly,
}: Props) {
  const { register, control, getValues } = useFormContext<ProcessSettingsInput>();
  const name = `callbacks.${index}` as const;
  const cb = useWatch({ control, name });
  const problems = useCallbackProblems(index);
  const { staticEgress } = useCallbackFormState();
  const health = useCallbackHealth(cb?.id);
  const updateHealth = useUpdateCallbackHealth();
  const autoDisabled = showsAutoDisabled(health, cb?.enabled);
  const uid = useId();
  const id = (field: string) => `callback-${index}-${field}`;
  const title = callbackLabel({ name: cb?.name, position: index });

  // Collapsed blocks stay mounted (hidden), so the form keeps their values and validation. A block opens
  // by itself when a problem appears in it, so Save can move the focus there.
  const [expanded, setExpanded] = useState(() =>
    startsExpanded({
      stored: Boolean(getValues(`${name}.id`)),
      problems: problems.count,
      callbacks: getValues("callbacks").length,
    }),
  );
  const [hadProblems, setHadProblems] = useState(problems.count > 0);
  if (problems.count > 0 !== hadProblems) {
    setHadProblems(problems.count > 0);
    if (problems.count > 0) setExpanded(true);
  }
  const egress = egressNote(staticEgress, egressIps);
  const egressWarning = Boolean(cb?.requiresWhitelisting && cb.enabled !== false && egress.warn);

  return (
    <fieldset
      className="min-w-0 space-y-5 rounded-lg border border-slate-200 bg-white p-4 sm:p-5"
      aria-labelledby={id("title")}
    >
      {/* The heading asks for 14rem before the controls sit beside it: on a phone they take the next line,
          never the title's place. */}
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
        <CallbackHeading
          title={title}
          titleId={id("title")}
          bodyId={`${uid}-body`}
          summary={callbackSummary(cb, health)}
          expanded={expanded}
          onToggle={() => setExpanded(!expanded)}
          problems={problems.count}
          egressWarning={egressWarning}
        />
        <div className="flex shrink-0 items-center gap-4">
          <div className="flex items-center gap-2">
            <Controller
              control={control}
              name={`${name}.enabled`}
              render={({ field }) => (
                <Switch
                  id={id("enabled")}
                  checked={field.value}
                  onCheckedChange={field.onChange}
                  disabled={readOnly}
                />
              )}
            />
            <label htmlFor={id("enabled")} className="text-sm text-slate-700">
              Enabled
            </label>
          </div>
          {readOnly ? null : (
            <ConfirmDialog
              title={`Remove ${title}?`}
              description="Its URL, authentication and signing secret are deleted when you save. Deliveries to it stop."
              confirmLabel="Remove"
              onConfirm={onRemove}
              trigger={<RowDangerButton>Remove</RowDangerButton>}
            />
          )}
        </div>
      </div>

      {health && autoDisabled ? <AutoDisabledNotice health={health} /> : null}
      <div id={`${uid}-body`} data-callback-body hidden={!expanded} className="space-y-5">
        {health ? <CallbackHealthLine health={health} /> : null}
        <fieldset disabled={readOnly} className="min-w-0 space-y-5">
          <Field
            id={id("name")}
            label="Name"
            error={problems.name}
            hint={`Optional, up to ${MAX_CALLBACK_NAME_LENGTH} characters. Shown instead of "Callback ${index + 1}".`}
          >
            {(control) => (
              <input
                {...control}
                {...register(`${name}.name`)}
                type="text"
                autoComplete="off"
                placeholder="CRM sync"
                className={inputClass}
              />
            )}
          </Field>

          <Field
            id={id("url")}
            label="Lead Update URL"
            error={problems.url}
            hint="This endpoint will receive POST requests when lead updates occur."
          >
            {(control) => (
              <div className="space-y-1">
                <input
                  {...control}
                  {...register(`${name}.url`)}
                  type="url"
                  inputMode="url"
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="https://yourdomain.com/api/lead-callback"
                  className={inputClass}
                />
                {cb?.url && isPlainHttp(cb.url) && !problems.url ? (
                  <Badge tone="warn">HTTPS recommended</Badge>
                ) : null}
              </div>
            )}
          </Field>

          <fieldset className="min-w-0 space-y-2">
            <legend className="text-sm font-medium text-slate-800">Payload Format</legend>
            <label className="flex items-start gap-2 text-sm text-slate-700">
              <input
                type="radio"
                value="activity_update"
                {...register(`${name}.payloadFormat`)}
                className="mt-1"
              />
              <span>
                Activity Update – Only send updates related to latest activity{" "}
                <Badge tone="info">Recommended</Badge>
              </span>
            </label>
            <label className="flex items-start gap-2 text-sm text-slate-700">
              <input type="radio" value="full_lead" {...register(`${name}.payloadFormat`)} className="mt-1" />
              <span>Full Lead – Send the complete lead record on every update</span>
            </label>
          </fieldset>

          <fieldset className="min-w-0 space-y-2">
            <legend className="text-sm font-medium text-slate-800">Callback Requirements</legend>
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                {...register(`${name}.requiresWhitelisting`)}
                aria-describedby={cb?.requiresWhitelisting ? id("egress") : undefined}
              />
              Requires source to be whitelisted
            </label>
            {cb?.requiresWhitelisting ? (
              <div
                id={id("egress")}
                data-testid="egress-note"
                className={
                  egress.warn
                    ? "space-y-1 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
                    : "space-y-1 rounded-md bg-slate-50 p-3 text-sm text-slate-700"
                }
              >
                {egress.text ? (
                  <p className={egress.warn ? "font-medium" : undefined}>{egress.text}</p>
                ) : null}
                {egress.allow ? (
                  <p>
                    {egress.allow.label} <span className="font-mono break-all">{egress.allow.ips}</span>
                  </p>
                ) : null}
              </div>
            ) : null}
          </fieldset>

          <CallbackAuthFields index={index} />
        </fieldset>

        <SigningSecret
          callbackId={cb?.id ?? null}
          hint={signingSecretHint}
          previousExpiresAt={previousSecretExpiresAt}
          reveal={reveal}
          rotate={rotate}
        />
        {cb?.id && expanded ? (
          <DeliveryLog
            callbackId={cb.id}
            actions={deliveryActions}
            showDisabledReason={!autoDisabled}
            onHealth={updateHealth}
          />
        ) : null}
        {problems.block ? <FieldMessage>{problems.block}</FieldMessage> : null}
      </div>
    </fieldset>
  );
}
