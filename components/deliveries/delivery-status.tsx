import { type EngineName, engineDescriptions } from "@/lib/env";
import { plural } from "@/lib/plural";
import { describeSchedule, type RetrySchedule } from "@/lib/webhooks/retry-schedule";

export type DeliveryStatusProps = {
  engine: EngineName;
  /** The server's DELIVERY_RETRY_SCHEDULE. */
  retrySchedule: RetrySchedule;
  pendingEvents: number;
  lastHandoffError: string | null;
  failedDeliveries: number;
};

/**
 * The process page's word on delivery: which engine runs it, how long failed deliveries are retried, and
 * anything an admin must act on.
 */
export function DeliveryStatus({
  engine,
  retrySchedule,
  pendingEvents,
  lastHandoffError,
  failedDeliveries,
}: DeliveryStatusProps) {
  return (
    <div className="space-y-2" data-testid="delivery-status">
      <p className="text-sm text-slate-600">{engineDescriptions[engine]}.</p>
      <p className="text-sm text-slate-600" data-testid="retry-schedule">
        {describeSchedule(retrySchedule)}
        {retrySchedule.length > 0
          ? " A 429 or 503 with Retry-After waits as long as it asks, up to 24 h."
          : ""}
      </p>
      {pendingEvents > 0 ? (
        <div
          role="alert"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
        >
          <p className="font-semibold">
            {plural(pendingEvents, "event has", "events have")} not been queued for delivery yet
          </p>
          <p>
            {engine === "inngest"
              ? "The Inngest server cannot be reached, so no webhooks are being sent for them."
              : "The delivery queue in this server is not taking work, so no webhooks are being sent for them."}{" "}
            They are stored safely and are queued again every minute.{" "}
            {engine === "inngest"
              ? "Check that the Inngest server is running and reachable from this server."
              : "Check the server's logs; delivery resumes by itself once the queue runs again."}
          </p>
          {lastHandoffError ? (
            <p className="mt-1 text-xs wrap-anywhere text-amber-800">Last error: {lastHandoffError}</p>
          ) : null}
        </div>
      ) : null}
      {failedDeliveries > 0 ? (
        <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          <p className="font-semibold">
            {plural(failedDeliveries, "delivery", "deliveries")} failed in the last 24 hours after every retry
          </p>
          <p>
            Open Advanced Settings and each callback's Recent deliveries to see what its endpoint answered,
            fix the endpoint, then use Redeliver, or Replays to send them all again.
          </p>
        </div>
      ) : null}
    </div>
  );
}
