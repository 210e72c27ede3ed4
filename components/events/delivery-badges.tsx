import { callbackLabel } from "@/lib/callback-label";
import { plural } from "@/lib/plural";
import type { DeliveryStatus } from "@/lib/validations/delivery-status";
import { Badge } from "../ui/badge";

/** What the Events pages need to know of one event's delivery to one callback. */
export type DeliverySummary = {
  callbackId: string;
  /** The callback's place in the process, from 0: shown as "Callback 1" and so on, as the settings form does. */
  position: number;
  /** The callback's name, shown instead of "Callback N" where set. */
  name: string | null;
  url: string;
  status: DeliveryStatus;
  attemptCount: number;
};

const tones = { succeeded: "ok", failed: "error", retrying: "warn", pending: "neutral" } as const;

/** "Succeeded", "Failing (3 attempts)", "Retrying", "Pending". */
export function deliveryStatusLabel(status: DeliveryStatus, attemptCount: number): string {
  switch (status) {
    case "succeeded":
      return "Succeeded";
    case "failed":
      return `Failing (${plural(attemptCount, "attempt", "attempts")})`;
    case "retrying":
      return "Retrying";
    default:
      return "Pending";
  }
}

export function DeliveryStatusBadge({
  status,
  attemptCount,
}: {
  status: DeliveryStatus;
  attemptCount: number;
}) {
  return <Badge tone={tones[status]}>{deliveryStatusLabel(status, attemptCount)}</Badge>;
}

/** One small badge per callback the event went to, or "Not subscribed" when it went to none. */
export function DeliveryBadges({ deliveries }: { deliveries: DeliverySummary[] }) {
  if (deliveries.length === 0) return <Badge tone="neutral">Not subscribed</Badge>;
  return (
    <ul className="flex flex-col items-start gap-1">
      {deliveries.map((d) => (
        <li key={d.callbackId}>
          <Badge tone={tones[d.status]} title={d.url} className="whitespace-nowrap">
            {callbackLabel(d)}: {deliveryStatusLabel(d.status, d.attemptCount)}
          </Badge>
        </li>
      ))}
    </ul>
  );
}
