import { callbackLabelWithUrl } from "@/lib/callback-label";
import { gapText } from "@/lib/duration";
import type { DeliveryStatus } from "@/lib/validations/delivery-status";
import type { FailureHint } from "@/lib/webhooks/hints";
import { webhookIdFor } from "@/lib/webhooks/payload";
import { FailureHintText } from "../deliveries/failure-hint";
import { CopyButton } from "../ui/copy-button";
import { DateTime } from "../ui/date-time";
import { DataTable } from "../ui/table";
import { DeliveryStatusBadge } from "./delivery-badges";
import { JsonBlock } from "./json-block";

/** One attempt as the event page shows it, its failure hint computed on the server. */
export type AttemptView = {
  id: string;
  attemptNumber: number;
  startedAt: Date;
  outcome: string;
  responseStatus: number | null;
  latencyMs: number;
  errorMessage: string | null;
  /** The first 2 KB of what the receiver answered (secrets redacted), as stored. */
  responseExcerpt: string | null;
  hint: FailureHint | null;
};

/** The event's delivery to one callback: where, how it stands, the exact body and every attempt. */
export type CallbackDeliveryView = {
  deliveryId: string;
  position: number;
  /** The callback's name, shown instead of "Callback N" where set. */
  name: string | null;
  url: string;
  status: DeliveryStatus;
  attemptCount: number;
  /** Why it stands as it does when no attempt says so: not sent (callback off, replay cancelled), or given up. */
  note: string | null;
  /** `JSON.stringify` of the stored body: byte for byte what the callback received. */
  body: string;
  attempts: AttemptView[];
};

const outcomeLabels: Record<string, string> = {
  succeeded: "Succeeded",
  retry: "Failed",
  gone: "Gone: callback turned off",
  refused: "Refused",
  skipped: "Skipped",
};
const cell = "px-4 py-3 align-top";

export function outcomeLabel(outcome: string): string {
  return outcomeLabels[outcome] ?? outcome;
}

/** A receiver's answer as text; JSON pretty-printed when it parses whole (an excerpt cut at 2 KB does not). */
function readable(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function Attempts({ attempts }: { attempts: AttemptView[] }) {
  if (attempts.length === 0) return <p className="text-sm text-slate-600">Not attempted yet.</p>;
  return (
    <DataTable
      caption="Attempts, first to last"
      columns={["Attempt", "Time", "After previous", "Outcome", "HTTP status", "Latency"]}
      minWidth="min-w-[44rem]"
    >
      {attempts.map((a, i) => {
        const failed = a.outcome !== "succeeded" && a.outcome !== "skipped";
        const previous = attempts[i - 1];
        return (
          <tr key={a.id}>
            <td className={`${cell} font-medium`}>{a.attemptNumber}</td>
            <td className={`${cell} whitespace-nowrap text-slate-600`}>
              <DateTime value={a.startedAt} seconds />
            </td>
            <td className={`${cell} whitespace-nowrap text-slate-600`}>
              {previous ? gapText(a.startedAt.getTime() - previous.startedAt.getTime()) : "—"}
            </td>
            <td className={`${cell} max-w-96`}>
              <span className={failed ? "font-medium text-red-700" : "font-medium"}>
                {outcomeLabel(a.outcome)}
              </span>
              {a.hint ? (
                <FailureHintText hint={a.hint} className="mt-1 text-xs text-red-700" />
              ) : failed && a.errorMessage ? (
                <p className="mt-1 text-xs break-words text-red-700">{a.errorMessage}</p>
              ) : null}
              {a.responseExcerpt ? (
                <details className="mt-1 text-xs">
                  <summary className="cursor-pointer text-slate-600">Response body</summary>
                  <pre className="mt-1 max-h-60 overflow-auto rounded border border-slate-200 bg-slate-50 p-2 font-mono whitespace-pre-wrap break-all text-slate-800">
                    {readable(a.responseExcerpt)}
                  </pre>
                </details>
              ) : null}
            </td>
            <td className={`${cell} font-mono`}>{a.responseStatus ?? "—"}</td>
            <td className={`${cell} whitespace-nowrap`}>{a.latencyMs} ms</td>
          </tr>
        );
      })}
    </DataTable>
  );
}

/**
 * "Callback N (url)": the delivery's status, its webhook-id (the same on every attempt), the body sent
 * (pretty-printed; Copy gives the exact bytes) and every attempt.
 */
export function CallbackDelivery({ delivery }: { delivery: CallbackDeliveryView }) {
  const headingId = `delivery-${delivery.deliveryId}`;
  return (
    <section
      aria-labelledby={headingId}
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={headingId} className="min-w-0 text-base font-semibold break-all">
          {callbackLabelWithUrl(delivery)}
        </h3>
        <DeliveryStatusBadge status={delivery.status} attemptCount={delivery.attemptCount} />
      </div>
      <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
        <span>webhook-id</span>
        <code
          data-testid="webhook-id"
          className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs break-all"
        >
          {webhookIdFor(delivery.deliveryId)}
        </code>
        <CopyButton text={webhookIdFor(delivery.deliveryId)} what="webhook-id" />
        <span className="text-xs">the same on every attempt: receivers de-duplicate on it</span>
      </p>
      {delivery.note ? <p className="text-sm text-red-700">{delivery.note}</p> : null}
      <JsonBlock
        label="Body sent"
        text={readable(delivery.body)}
        action={<CopyButton text={delivery.body} label="Copy exact body" what="sent" />}
      />
      <div className="space-y-2">
        <h4 className="text-sm font-medium text-slate-800">Attempts</h4>
        <Attempts attempts={delivery.attempts} />
      </div>
    </section>
  );
}
