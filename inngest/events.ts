import { eventType } from "inngest";
import { z } from "zod";

/** A stored lead-update event is ready to fan out. The Inngest event id is the stored event's id. */
export const eventReceivedData = z.object({ eventId: z.uuid() });
export const eventReceived = eventType("leadhook/event.received", { schema: eventReceivedData });

/**
 * One run of a delivery (an event for one callback, or a Redeliver) should be attempted. Ids and a time
 * only, never secrets or bodies. The run's attempts are those recorded since `runStartedAt`.
 */
export const deliveryRequestedData = z.object({
  deliveryId: z.uuid(),
  callbackId: z.uuid(),
  runStartedAt: z.iso.datetime(),
});
export const deliveryRequested = eventType("leadhook/delivery.requested", { schema: deliveryRequestedData });

/**
 * A stored replay should queue its deliveries. `part` counts the runs that continued it (a run queues a
 * bounded number of batches, then hands on to the next part).
 */
export const replayRequestedData = z.object({ replayId: z.uuid(), part: z.number().int().min(0) });
export const replayRequested = eventType("leadhook/replay.requested", { schema: replayRequestedData });
