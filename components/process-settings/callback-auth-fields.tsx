"use client";

import { useFormContext, useWatch } from "react-hook-form";
import { movedFromOrigin, secretMovedMessage } from "@/lib/validations/callback-origin";
import type { ProcessSettingsInput } from "@/lib/validations/process";
import { Field, inputClass } from "../ui/field";
import { useCallbackProblems } from "./callback-form-state";

type MovedSecret = Parameters<typeof secretMovedMessage>[0];

/** A message said once: as the field's error once the form shows it, as its hint until then. */
function saidOnce(message: string, error: string | undefined) {
  return error === message ? undefined : message;
}

/** The Authentication fieldset of Callback N: None, Bearer Token or Custom Auth Header. */
export function CallbackAuthFields({ index }: { index: number }) {
  const { register, control } = useFormContext<ProcessSettingsInput>();
  const name = `callbacks.${index}` as const;
  const cb = useWatch({ control, name });
  const errors = useCallbackProblems(index);
  const id = (field: string) => `callback-${index}-${field}`;
  // The schema's origin rule, shown as the URL is typed: a stored secret is not kept for another origin.
  const movedFrom = cb ? movedFromOrigin(cb.storedUrl, cb.url) : null;
  const reenter = (typed: string | undefined, stored: string | null | undefined, secret: MovedSecret) =>
    movedFrom && stored && !typed ? secretMovedMessage(secret, movedFrom) : null;
  const tokenMoved = reenter(cb?.bearerToken, cb?.storedBearerTokenHint, "Bearer Token");
  const valueMoved = reenter(cb?.authHeaderValue, cb?.storedAuthHeaderValueHint, "Auth Value");
  const keptToken = movedFrom ? null : cb?.storedBearerTokenHint;
  const keptValue = movedFrom ? null : cb?.storedAuthHeaderValueHint;

  return (
    <fieldset className="min-w-0 space-y-3">
      <legend className="text-sm font-medium text-slate-800">Authentication</legend>
      <div className="flex flex-wrap gap-4">
        {(
          [
            ["none", "None"],
            ["bearer", "Bearer Token"],
            ["custom_header", "Custom Auth Header"],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="flex items-center gap-2 text-sm text-slate-700">
            <input type="radio" value={value} {...register(`${name}.authType`)} />
            {label}
          </label>
        ))}
      </div>
      {cb?.authType === "bearer" ? (
        <Field
          id={id("token")}
          label="Token"
          error={errors.bearerToken}
          hint={
            tokenMoved
              ? saidOnce(tokenMoved, errors.bearerToken)
              : keptToken
                ? `Stored token ${keptToken}. Leave blank to keep it, or type a new one to replace it.`
                : "Sent as Authorization: Bearer <token> with every webhook request."
          }
        >
          {(control) => (
            <input
              {...control}
              {...register(`${name}.bearerToken`)}
              type="password"
              autoComplete="new-password"
              placeholder={keptToken ?? ""}
              className={inputClass}
            />
          )}
        </Field>
      ) : null}
      {cb?.authType === "custom_header" ? (
        <div className="grid min-w-0 gap-3 sm:grid-cols-2">
          <Field id={id("auth-key")} label="Auth Key" error={errors.authHeaderKey} hint="e.g. X-API-Key">
            {(control) => (
              <input
                {...control}
                {...register(`${name}.authHeaderKey`)}
                autoComplete="off"
                spellCheck={false}
                placeholder="X-API-Key"
                className={inputClass}
              />
            )}
          </Field>
          <Field
            id={id("auth-value")}
            label="Auth Value"
            error={errors.authHeaderValue}
            hint={
              valueMoved
                ? saidOnce(valueMoved, errors.authHeaderValue)
                : keptValue
                  ? `Stored value ${keptValue}. Leave blank to keep it.`
                  : "Your API key value"
            }
          >
            {(control) => (
              <input
                {...control}
                {...register(`${name}.authHeaderValue`)}
                type="password"
                autoComplete="new-password"
                placeholder={keptValue ?? ""}
                className={inputClass}
              />
            )}
          </Field>
        </div>
      ) : null}
    </fieldset>
  );
}
