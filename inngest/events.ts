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
