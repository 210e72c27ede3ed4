"use client";

import { useFieldArray, useFormContext } from "react-hook-form";
import { emptyCallback, MAX_CALLBACKS } from "@/lib/validations/callback";
import type { ProcessSettingsInput } from "@/lib/validations/process";
import type { DeliveryActions } from "../deliveries/types";
import { Button } from "../ui/button";
import { CallbackBlock } from "./callback-block";
import type { RevealSecret, RotateSecret } from "./signing-secret";

type Props = {
  deliveryActions: DeliveryActions;
  egressIps: string[];
  signingSecretHints: Record<string, string>;
  previousSecretExpiry: Record<string, string>;
  reveal?: RevealSecret;
  rotate?: RotateSecret;
  readOnly: boolean;
};

/** "Lead Update Callbacks" inside Advanced Settings: the list of callback blocks and "+ Add Callback". */
export function CallbackList({
  deliveryActions,
  egressIps,
  signingSecretHints,
  previousSecretExpiry,
  reveal,
  rotate,
  readOnly,
}: Props) {
  const { control } = useFormContext<ProcessSettingsInput>();
  const callbacks = useFieldArray({ control, name: "callbacks", keyName: "fieldKey" });

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <h3 className="text-base font-semibold text-slate-900">Lead Update Callbacks</h3>
          <p className="text-sm text-slate-600">
            Webhook URLs that receive a POST when a call attempt completes, a lead's status changes, a final
            disposition is marked, or the latest activity changes.
          </p>
        </div>
        {readOnly ? null : (
          <Button
            variant="secondary"
            disabled={callbacks.fields.length >= MAX_CALLBACKS}
            onClick={() =>
              callbacks.append(emptyCallback(), { focusName: `callbacks.${callbacks.fields.length}.url` })
            }
          >
            + Add Callback
          </Button>
        )}
      </div>
      {callbacks.fields.length >= MAX_CALLBACKS ? (
        <p className="text-sm text-slate-600">A process can have at most {MAX_CALLBACKS} callbacks.</p>
      ) : null}
      {callbacks.fields.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 p-4 text-sm text-slate-600">
          {readOnly
            ? "No callbacks yet."
            : "No callbacks yet. Click + Add Callback to send lead updates to your webhook endpoint."}
        </p>
      ) : null}
      {callbacks.fields.map((field, index) => (
        <CallbackBlock
          key={field.fieldKey}
          index={index}
          deliveryActions={deliveryActions}
          egressIps={egressIps}
          signingSecretHint={field.id ? signingSecretHints[field.id] : undefined}
          previousSecretExpiresAt={field.id ? previousSecretExpiry[field.id] : undefined}
          onRemove={() => callbacks.remove(index)}
          reveal={reveal}
          rotate={rotate}
          readOnly={readOnly}
        />
      ))}
    </div>
  );
}
