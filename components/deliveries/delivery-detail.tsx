"use client";

import { Button } from "../ui/button";
import { DateTime } from "../ui/date-time";
import { FailureHintText } from "./failure-hint";
import type { AttemptRow } from "./types";

/** One delivery opened: the payload it sends, and every attempt with its request headers and answer. */
export function DeliveryDetail({
  detail,
  onRedeliver,
  onClose,
  busy,
}: {
  detail: { payload: unknown; status: string; attempts: AttemptRow[] };
  /** Absent for a role that may not redeliver. */
  onRedeliver?: () => void;
  onClose: () => void;
  busy: boolean;
}) {
  return (
    <div
      className="min-w-0 space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3 sm:p-4"
      data-testid="delivery-detail"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h5 className="text-sm font-semibold">Delivery</h5>
        <div className="flex gap-2">
          {onRedeliver ? (
            <Button size="sm" variant="secondary" onClick={onRedeliver} disabled={busy}>
              Redeliver
            </Button>
          ) : null}
          <Button size="sm" variant="ghost" onClick={onClose}>
            Close
          </Button>
        </div>
      </div>
      <div>
        <p className="text-xs font-medium text-slate-700">Payload</p>
        <pre className="mt-1 max-h-64 overflow-auto rounded bg-white p-2 text-xs">
          {JSON.stringify(detail.payload, null, 2)}
        </pre>
      </div>
      <ol className="space-y-2">
        {detail.attempts.length === 0 ? <li className="text-sm text-slate-600">Not attempted yet.</li> : null}
        {detail.attempts.map((a) => (
          <li key={a.id} className="rounded bg-white p-2 text-xs">
            <p className="font-medium">
              Attempt {a.attemptNumber}: {a.responseStatus ? `HTTP ${a.responseStatus}` : "no response"} ·{" "}
              {a.latencyMs} ms · <DateTime value={a.startedAt} />
            </p>
            {a.hint ? (
              <FailureHintText hint={a.hint} className="mt-0.5 text-red-700" />
            ) : a.errorMessage ? (
              <p className="text-red-700">
                {a.errorClass ? `${a.errorClass.replaceAll("_", " ")}: ` : ""}
                {a.errorMessage}
              </p>
            ) : null}
            <details className="mt-1">
              <summary className="cursor-pointer text-slate-600">Request headers</summary>
              <pre className="mt-1 overflow-auto">
                {Object.entries(a.requestHeaders)
                  .map(([k, v]) => `${k}: ${v}`)
                  .join("\n")}
              </pre>
            </details>
            {a.responseExcerpt ? (
              <details className="mt-1">
                <summary className="cursor-pointer text-slate-600">Response (first 2 KB)</summary>
                <pre className="mt-1 max-h-40 overflow-auto whitespace-pre-wrap">{a.responseExcerpt}</pre>
              </details>
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
