import { createDeliveriesForEvent } from "@/db/queries/deliveries";
import { inngest } from "../client";
import { deliveryRequested, eventReceived, eventReceivedData } from "../events";

/**
 * One stored event -> one delivery per enabled callback whose Payload Format subscribes to its type. Each
 * delivery event's id is `<eventId>:<callbackId>`, so a re-run of this function requests nothing twice.
 */
export const fanOut = inngest.createFunction(
  { id: "fan-out", name: "Fan out a lead-update event", triggers: [eventReceived] },
  async ({ event, step }) => {
    const { eventId } = eventReceivedData.parse(event.data);
    const targets = await step.run("create-deliveries", () => createDeliveriesForEvent(eventId));
    if (targets.length) {
      await step.sendEvent(
        "request-deliveries",
        targets.map((t) =>
          deliveryRequested.create(
            { deliveryId: t.id, callbackId: t.callbackId },
            { id: `${eventId}:${t.callbackId}` },
          ),
        ),
      );
    }
    return { eventId, deliveries: targets.map((t) => t.id) };
  },
);
