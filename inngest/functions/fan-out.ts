import { createDeliveriesForEvent } from "@/db/queries/deliveries";
import { jobs } from "@/delivery/jobs";
import { inngest } from "../client";
import { deliveryRequested, eventReceived, jobPayload } from "../events";

/** The delivery events for an event's deliveries; the id `<eventId>:<callbackId>` makes re-sends harmless. */
export function deliveryEventsFor(eventId: string, targets: { id: string; callbackId: string }[]) {
  const runStartedAt = new Date().toISOString();
  return targets.map((t) =>
    deliveryRequested.create(
      { deliveryId: t.id, callbackId: t.callbackId, runStartedAt },
      { id: `${eventId}:${t.callbackId}` },
    ),
  );
}

/**
 * One stored event -> one delivery per enabled callback whose Payload Format subscribes to its type, and
 * one delivery event each. A re-run of this function requests nothing twice.
 */
export const fanOut = inngest.createFunction(
  { id: jobs.fanOut.name, name: "Fan out a lead-update event", triggers: [eventReceived] },
  async ({ event, step }) => {
    const { eventId } = jobPayload(jobs.fanOut, event.data);
    const targets = await step.run("create-deliveries", () => createDeliveriesForEvent(eventId));
    if (targets.length) await step.sendEvent("request-deliveries", deliveryEventsFor(eventId, targets));
    return { eventId, deliveries: targets.map((t) => t.id) };
  },
);
