"use client";

import type { Route } from "next";
import Link from "next/link";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/errors";
import { plural } from "@/lib/plural";
import { Button } from "../ui/button";
import { CopyButton } from "../ui/copy-button";
import { FormAlert } from "../ui/form-alert";

export type SampleEventResult = ActionResult<{ eventId: string; externalId: string; callbacks: number }>;

/**
 * What a producer needs to send this process events: its id, a ready-to-paste curl (the README's example,
 * with a placeholder key), and "Send sample event", which ingests one now so the admin can watch it go out.
 */
export function SendEventsPanel({
  processId,
  curl,
  sendSample,
}: {
  processId: string;
  curl: string;
  /** Absent for a member whose role may not send test events. */
  sendSample?: () => Promise<SampleEventResult>;
}) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<SampleEventResult | null>(null);

  return (
    <section
      aria-labelledby="send-events-title"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="send-events-title" className="text-base font-semibold text-slate-900">
          Send events
        </h2>
        {sendSample ? (
          <Button
            size="sm"
            variant="secondary"
            disabled={pending}
            onClick={() =>
              startTransition(async () => {
                setResult(await sendSample());
              })
            }
          >
            {pending ? "Sending…" : "Send sample event"}
          </Button>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="text-slate-600">Process id</span>
        <code
          data-testid="process-id"
          className="min-w-0 rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs break-all text-slate-800"
        >
          {processId}
        </code>
        <CopyButton text={processId} what="process id" />
      </div>
      {result ? <SampleOutcome result={result} /> : null}
      <details className="group text-sm">
        <summary className="cursor-pointer font-medium text-brand-700">Example request (curl)</summary>
        <div className="mt-2 space-y-2">
          <p className="text-slate-600">
            Your calling engine POSTs each lead update to{" "}
            <code className="font-mono text-xs">/api/events</code>. Put a key from{" "}
            <Link href="/settings/api-keys" className="text-brand-700 underline-offset-2 hover:underline">
              API Keys
            </Link>{" "}
            in place of <code className="font-mono text-xs">lh_YOUR_KEY</code>; the event fields are in the{" "}
            <a href="/api/openapi.json" className="text-brand-700 underline-offset-2 hover:underline">
              OpenAPI document
            </a>
            .
          </p>
          <pre
            data-testid="example-curl"
            className="overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100"
          >
            {curl}
          </pre>
          <CopyButton text={curl} what="curl command" />
        </div>
      </details>
    </section>
  );
}

function SampleOutcome({ result }: { result: SampleEventResult }) {
  if (!result.ok) return <FormAlert>{result.message}</FormAlert>;
  return (
    <p role="status" className="rounded-md bg-emerald-50 p-2 text-sm text-emerald-900">
      Sample event <code className="font-mono text-xs">{result.externalId}</code> accepted.{" "}
      {result.callbacks > 0
        ? `It goes out to ${plural(result.callbacks, "enabled callback", "enabled callbacks")}: `
        : "No callback is enabled, so nothing goes out: "}
      <Link
        href={`/events/${result.eventId}` as Route}
        className="font-medium text-brand-700 underline-offset-2 hover:underline"
      >
        open its event page
      </Link>
      .
    </p>
  );
}
