"use client";

import { Controller, type FieldErrors, useFormContext, useWatch } from "react-hook-form";
import { isPlainHttp } from "@/lib/validations/callback";
import type { ProcessSettingsInput } from "@/lib/validations/process";
import { DeliveryLog } from "../deliveries/delivery-log";
import type { DeliveryActions } from "../deliveries/types";
import { Badge } from "../ui/badge";
import { RowDangerButton } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { Field, FieldMessage, inputClass } from "../ui/field";
import { Switch } from "../ui/switch";
import { CallbackAuthFields } from "./callback-auth-fields";
import { type RevealSecret, type RotateSecret, SigningSecret } from "./signing-secret";

type Props = {
  index: number;
  deliveryActions: DeliveryActions;
  egressIps: string[];
  signingSecretHint: string | undefined;
  onRemove: () => void;
  reveal?: RevealSecret;
  rotate?: RotateSecret;
  /** A viewer's page: every field disabled, no Remove. */
  readOnly: boolean;
};

/** One "Callback N" block of Lead Update Callbacks. */
export function CallbackBlock({
  index,
  deliveryActions,
  egressIps,
  signingSecretHint,
  onRemove,
  reveal,
  rotate,
  readOnly,
}: Props) {
  const { register, control, formState } = useFormContext<ProcessSettingsInput>();
  const name = `callbacks.${index}` as const;
  const cb = useWatch({ control, name });
  const errors: FieldErrors<ProcessSettingsInput["callbacks"][number]> =
    formState.errors.callbacks?.[index] ?? {};
  const id = (field: string) => `callback-${index}-${field}`;
  const title = `Callback ${index + 1}`;

  return (
    <fieldset
      className="space-y-5 rounded-lg border border-slate-200 bg-white p-5"
      aria-labelledby={id("title")}
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h3 id={id("title")} className="text-base font-semibold text-slate-900">
          {title}
        </h3>
        <div className="flex items-center gap-4">
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

      <fieldset disabled={readOnly} className="space-y-5">
        <Field
          id={id("url")}
          label="Lead Update URL"
          error={errors.url?.message}
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
              {cb?.url && isPlainHttp(cb.url) && !errors.url ? (
                <Badge tone="warn">HTTPS recommended</Badge>
              ) : null}
            </div>
          )}
        </Field>

        <fieldset className="space-y-2">
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

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">Callback Requirements</legend>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              {...register(`${name}.requiresWhitelisting`)}
              aria-describedby={id("egress")}
            />
            Requires source to be whitelisted
          </label>
          {cb?.requiresWhitelisting ? (
            <div id={id("egress")} className="rounded-md bg-slate-50 p-3 text-sm text-slate-700">
              {egressIps.length ? (
                <>
                  Allow these source IPs on your server:{" "}
                  <span className="font-mono">{egressIps.join(", ")}</span>
                </>
              ) : (
                "No static source IPs are configured for this installation (CALLBACK_EGRESS_IPS is empty), so there is no fixed address to whitelist yet. Deliveries to this callback fail with a clear error until an administrator configures them."
              )}
            </div>
          ) : null}
        </fieldset>

        <CallbackAuthFields index={index} />
      </fieldset>

      <SigningSecret callbackId={cb?.id ?? null} hint={signingSecretHint} reveal={reveal} rotate={rotate} />
      {cb?.id ? <DeliveryLog callbackId={cb.id} actions={deliveryActions} /> : null}
      {errors.root?.message ? <FieldMessage>{errors.root.message}</FieldMessage> : null}
    </fieldset>
  );
}
