"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/errors";
import { formatDateTime } from "@/lib/format-date";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";

export type RevealSecret = (callbackId: string) => Promise<ActionResult<{ secret: string }>>;
export type RotateSecret = (
  callbackId: string,
) => Promise<ActionResult<{ hint: string; previousExpiresAt: string }>>;

/** When a rotation's previous secret stops signing, as the page says it. */
export function overlapNote(previousExpiresAt: string): string {
  return `Deliveries are also signed with the previous secret until ${formatDateTime(previousExpiresAt)}`;
}

/** The callback's Standard Webhooks signing secret: masked, with reveal, copy and rotate. */
export function SigningSecret({
  callbackId,
  hint,
  previousExpiresAt,
  reveal,
  rotate,
}: {
  callbackId: string | null;
  hint: string | undefined;
  /** While a rotation's overlap runs: when the previous secret stops signing deliveries (ISO). */
  previousExpiresAt?: string;
  /** Absent for a role that may not see secrets: only the masked hint shows. */
  reveal?: RevealSecret;
  rotate?: RotateSecret;
}) {
  const [shown, setShown] = useState<string | null>(null);
  const [currentHint, setCurrentHint] = useState(hint);
  const [overlapUntil, setOverlapUntil] = useState(previousExpiresAt);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  if (!callbackId || !currentHint) {
    return (
      <div className="space-y-1">
        <p className="text-sm font-medium text-slate-800">Signing secret</p>
        <p className="text-sm text-slate-500">A signing secret is created when you save.</p>
      </div>
    );
  }

  if (!reveal || !rotate) {
    return (
      <div className="space-y-1">
        <p className="text-sm font-medium text-slate-800">Signing secret</p>
        <code
          data-testid="signing-secret"
          className="rounded bg-slate-100 px-2 py-1 font-mono text-xs text-slate-800"
        >
          whsec_{currentHint}
        </code>
        <p className="text-xs text-slate-500">Owners and admins can reveal, copy and rotate it.</p>
        {overlapUntil ? <p className="text-xs text-slate-500">{overlapNote(overlapUntil)}</p> : null}
      </div>
    );
  }

  const run = (work: () => Promise<void>) => startTransition(work);
  const fetchSecret = async () => {
    const result = await reveal(callbackId);
    if (!result.ok) {
      setMessage(result.message);
      return null;
    }
    return result.secret;
  };

  return (
    <div className="space-y-1">
      <p className="text-sm font-medium text-slate-800">Signing secret</p>
      <div className="flex flex-wrap items-center gap-2">
        <code
          data-testid="signing-secret"
          className="rounded bg-slate-100 px-2 py-1 font-mono text-xs break-all text-slate-800"
        >
          {shown ?? `whsec_${currentHint}`}
        </code>
        <Button
          size="sm"
          variant="secondary"
          disabled={pending}
          onClick={() =>
            run(async () => {
              setMessage(null);
              setShown(shown ? null : await fetchSecret());
            })
          }
        >
          {shown ? "Hide" : "Reveal"}
        </Button>
        <Button
          size="sm"
          variant="secondary"
          disabled={pending}
          onClick={() =>
            run(async () => {
              const secret = shown ?? (await fetchSecret());
              if (!secret) return;
              try {
                await navigator.clipboard.writeText(secret);
                setMessage("Copied to the clipboard.");
              } catch {
                setShown(secret);
                setMessage("Copying is not allowed here; the secret is shown so you can copy it.");
              }
            })
          }
        >
          Copy
        </Button>
        <ConfirmDialog
          title="Rotate the signing secret?"
          description="A new secret replaces this one. For 24 hours deliveries are signed with both, so receivers that verify signatures keep accepting them with the old secret: switch them to the new secret before then."
          confirmLabel="Rotate secret"
          onConfirm={() =>
            run(async () => {
              const result = await rotate(callbackId);
              if (!result.ok) return setMessage(result.message);
              setCurrentHint(result.hint);
              setOverlapUntil(result.previousExpiresAt);
              setShown(null);
              setMessage("Signing secret rotated.");
            })
          }
          trigger={
            <Button size="sm" variant="secondary" disabled={pending}>
              Rotate
            </Button>
          }
        />
      </div>
      <p className="text-xs text-slate-500" role="status">
        {message ?? "Receivers verify the webhook-signature header with this secret (Standard Webhooks)."}
      </p>
      {overlapUntil ? <p className="text-xs text-slate-500">{overlapNote(overlapUntil)}</p> : null}
    </div>
  );
}
