import { eventType } from "inngest";
import { z } from "zod";

/** A stored lead-update event is ready to fan out. The Inngest event id is the stored event's id. */
export const eventReceivedData = z.object({ eventId: z.uuid() });
export const eventReceived = eventType("leadhook/event.received", { schema: eventReceivedData });

/** One delivery (an event for one callback) should be attempted. Ids only: never secrets or bodies. */
export const deliveryRequestedData = z.object({ deliveryId: z.uuid(), callbackId: z.uuid() });
export const deliveryRequested = eventType("leadhook/delivery.requested", { schema: deliveryRequestedData });
