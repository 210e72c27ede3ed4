/**
 * Where a delivery stands, and where a replay stands; in a module of their own so the database schema and
 * the pages can name them without loading zod.
 */
export const deliveryStatuses = ["pending", "retrying", "succeeded", "failed"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export const replayStatuses = ["queueing", "delivering", "finished", "cancelled"] as const;
export type ReplayStatus = (typeof replayStatuses)[number];
