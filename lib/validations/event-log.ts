import type { EventType } from "./event";

/** What became of an event's deliveries, as the Events page filters them. */
export const deliveryStates = ["succeeded", "failing", "pending", "not_subscribed"] as const;
export type DeliveryState = (typeof deliveryStates)[number];

export type EventLogFilters = {
  processId?: string;
  /** A lead's id (as the producer sent it) or its phone number. */
  lead?: string;
  type?: EventType;
  state?: DeliveryState;
  from?: Date;
  to?: Date;
  cursor?: string;
};
