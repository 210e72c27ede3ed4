import type { PayloadFormat } from "../validations/callback-options";
import { type EventType, eventTypes, type LeadSnapshot } from "../validations/event";

/**
 * The event types each Payload Format subscribes to: Full Lead to every one, Activity Update to all but
 * lead.updated.
 */
export const subscriptions: Record<PayloadFormat, readonly EventType[]> = {
  activity_update: eventTypes.filter((type) => type !== "lead.updated"),
  full_lead: eventTypes,
};

export function subscribes(format: PayloadFormat, type: string): boolean {
  return (subscriptions[format] as readonly string[]).includes(type);
}

export type PayloadInput = {
  format: PayloadFormat;
  /** The producer's id of the event (its `id` on POST /api/events). */
  eventId: string;
  type: string;
  occurredAt: Date | string;
  process: { id: string; name: string };
  lead: LeadSnapshot;
  activity: Record<string, unknown> | null;
  /** Full Lead only: the lead's latest activities, newest first (at most 20 are sent). */
  recentActivities?: Record<string, unknown>[];
};

export type WebhookPayload = {
  type: string;
  timestamp: string;
  data: {
    event: { id: string };
    process: { id: string; name: string };
    lead: Record<string, unknown>;
    activity: Record<string, unknown> | null;
    activities?: Record<string, unknown>[];
  };
};

/**
 * The JSON body a callback receives. Activity Update carries the lead's headline fields and the latest
 * activity; Full Lead adds every lead field, its attributes and its last 20 activities. `lead.sequence`
 * grows with every event about the lead, so a receiver can discard an update older than one it has;
 * `event.id` is the producer's id of the event that caused it, so a receiver can match the two.
 */
export function buildWebhookPayload(input: PayloadInput): WebhookPayload {
  const { lead } = input;
  const headline = {
    id: lead.id,
    name: lead.name,
    phone: lead.phone,
    status: lead.status,
    disposition: lead.disposition,
    sequence: lead.sequence,
  };
  const timestamp = new Date(input.occurredAt).toISOString();
  const event = { id: input.eventId };
  if (input.format === "activity_update") {
    return {
      type: input.type,
      timestamp,
      data: { event, process: input.process, lead: headline, activity: input.activity },
    };
  }
  return {
    type: input.type,
    timestamp,
    data: {
      event,
      process: input.process,
      lead: { ...headline, email: lead.email, attributes: lead.attributes },
      activity: input.activity,
      activities: (input.recentActivities ?? []).slice(0, 20),
    },
  };
}

/** The webhook-id receivers see: stable for a delivery across retries and redeliveries. */
export function webhookIdFor(deliveryId: string): string {
  return `msg_${deliveryId.replaceAll("-", "")}`;
}
