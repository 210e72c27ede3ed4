import { randomBytes } from "node:crypto";
import { type LeadEvent, leadEventSchema } from "./validations/event";

/**
 * The README's example event (a call that was answered) for one process: what the process page's
 * ready-to-paste curl sends.
 */
export function exampleEvent(processId: string, id = "evt_1001"): LeadEvent {
  return {
    id,
    type: "call.completed",
    processId,
    occurredAt: "2026-11-23T10:15:00Z",
    lead: { id: "lead_42", name: "Asha Verma", phone: "+919812345678", status: "Interested" },
    activity: { type: "call", callId: "call_9", attempt: 1, outcome: "answered", durationSec: 94 },
  };
}

/** An event id for one showing of the example: event ids are unique in a workspace, whatever the process. */
export function exampleEventId(): string {
  return `evt_example_${randomBytes(4).toString("hex")}`;
}

/**
 * The producer's request for this process, ready to paste into a shell: the example event, the ingest URL
 * on `origin`, and a placeholder where the key goes (leadhook never shows a key again after creating it).
 * Sending it twice is harmless (the second answers as a duplicate).
 */
export function exampleCurl(origin: string, processId: string, eventId = exampleEventId()): string {
  const body = JSON.stringify(exampleEvent(processId, eventId), null, 2)
    .split("\n")
    .map((line, i) => (i === 0 ? line : `  ${line}`))
    .join("\n");
  return [
    `curl -X POST '${origin}/api/events' \\`,
    `  -H "Authorization: Bearer lh_YOUR_KEY" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '${body}'`,
  ].join("\n");
}

/**
 * "Send sample event": a call.completed for a made-up lead, with a new event id each time (so each one goes
 * out, never a duplicate), checked with the schema the ingest route validates producers' events with.
 */
export function sampleEvent(processId: string, now = new Date()): LeadEvent {
  const endedAt = new Date(now.getTime() - 5_000);
  const suffix = `${now.getTime().toString(36)}_${randomBytes(4).toString("hex")}`;
  return leadEventSchema.parse({
    id: `evt_sample_${suffix}`,
    type: "call.completed",
    processId,
    occurredAt: endedAt.toISOString(),
    lead: {
      id: "lead_sample",
      name: "Sample Lead",
      phone: "+919800000000",
      email: "sample.lead@example.com",
      status: "Interested",
      attributes: { source: "leadhook Send sample event" },
    },
    activity: {
      type: "call",
      callId: `call_sample_${suffix}`,
      attempt: 1,
      outcome: "answered",
      startedAt: new Date(endedAt.getTime() - 94_000).toISOString(),
      endedAt: endedAt.toISOString(),
      durationSec: 94,
      summary: "Sample call from leadhook: the lead is interested and asked for a call back tomorrow.",
    },
  });
}
