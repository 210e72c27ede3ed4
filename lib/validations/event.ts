import { z } from "zod";

export const eventTypes = [
  "call.completed",
  "lead.status_changed",
  "lead.disposition_marked",
  "lead.activity_changed",
  "lead.updated",
] as const;
export type EventType = (typeof eventTypes)[number];

/** Statuses the calling engine uses today; others are accepted too, as long as they are short text. */
export const knownLeadStatuses = [
  "Interested",
  "Not Interested",
  "No Answer",
  "Callback Requested",
  "Busy",
  "Wrong Number",
  "Do Not Call",
] as const;

export const MAX_BATCH = 100;

// biome-ignore lint/suspicious/noControlCharactersInRegex: identifiers must be printable
const PRINTABLE = /^[^\u0000-\u001f\u007f]+$/;
const identifier = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, `${what} is required`)
    .max(128, `${what} must be at most 128 characters`)
    .regex(PRINTABLE, `${what} cannot contain control characters`);
const text = (max: number) => z.string().max(max, `Must be at most ${max} characters`);
const timestamp = z.iso.datetime({
  offset: true,
  error: "Must be an ISO-8601 date-time with a time zone, such as 2026-11-23T10:15:00Z",
});

/**
 * What a lead keeps after merging every event's attributes into it (migration 0013 enforces the same
 * numbers in the ingest function): an event whose merge would pass either is refused, with its batch.
 */
export const LEAD_ATTRIBUTE_LIMITS = { keys: 200, bytes: 64 * 1024 } as const;

const attributeValue = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]);

export const leadSchema = z
  .strictObject({
    id: identifier("lead.id").describe("The producer's id for the lead; leadhook merges updates by it."),
    name: text(200).optional(),
    phone: z
      .string()
      .regex(/^\+[1-9]\d{1,14}$/, "Must be an E.164 phone number, such as +919812345678")
      .optional(),
    email: z.email("Must be an email address").max(254).optional(),
    status: text(64)
      .min(1)
      .optional()
      .describe(`Known values: ${knownLeadStatuses.join(", ")}.`),
    disposition: text(128).min(1).optional(),
    attributes: z
      .record(z.string().min(1).max(64), attributeValue)
      .refine((v) => Object.keys(v).length <= 50, "At most 50 attributes")
      .optional()
      .describe(
        `Flat key/value pairs (strings up to 2000 characters, numbers, booleans, null), at most 50 an event; merged into the lead, which keeps at most ${LEAD_ATTRIBUTE_LIMITS.keys} attributes and ${LEAD_ATTRIBUTE_LIMITS.bytes / 1024} KiB of them (as JSON text). An event whose merge would pass either limit is refused with 400 invalid_request, and so is its whole batch.`,
      ),
  })
  .describe("The lead this event is about. Fields that are left out keep their stored values.");

const e164 = z.string().regex(/^\+[1-9]\d{1,14}$/, "Must be an E.164 phone number, such as +919812345678");
const direction = z.enum(["inbound", "outbound"], { error: "Must be inbound or outbound" });

export const activityTypes = ["call", "sms", "whatsapp", "email", "note", "callback_scheduled"] as const;

const callActivity = z
  .strictObject({
    type: z.literal("call"),
    callId: identifier("activity.callId"),
    attempt: z.int().min(1).max(1000).optional(),
    outcome: text(64).min(1).optional(),
    startedAt: timestamp.optional(),
    endedAt: timestamp.optional(),
    durationSec: z.number().min(0).max(86_400).optional(),
    recordingUrl: z
      .url({ protocol: /^https?$/, error: "Must be an http(s) URL" })
      .max(2048)
      .optional(),
    summary: text(4000).optional(),
  })
  .refine((a) => !a.startedAt || !a.endedAt || Date.parse(a.endedAt) >= Date.parse(a.startedAt), {
    message: "endedAt must not be before startedAt",
    path: ["endedAt"],
  })
  .describe("A call attempt.");

/** What an SMS and a WhatsApp message share. */
const message = <K extends "sms" | "whatsapp">(kind: K) => ({
  type: z.literal(kind),
  messageId: identifier("activity.messageId"),
  direction,
  from: e164.optional(),
  to: e164.optional(),
  body: text(4096).optional(),
  status: text(64)
    .min(1)
    .optional()
    .describe("As the messaging provider reports it: queued, sent, delivered, read, failed, received ..."),
  sentAt: timestamp.optional(),
});

const smsActivity = z.strictObject(message("sms")).describe("An SMS sent to or received from the lead.");

const whatsappActivity = z
  .strictObject({ ...message("whatsapp"), templateName: text(200).min(1).optional() })
  .describe("A WhatsApp message sent to or received from the lead (templateName for a template message).");

const emailActivity = z
  .strictObject({
    type: z.literal("email"),
    messageId: identifier("activity.messageId"),
    direction,
    from: z.email("Must be an email address").max(254).optional(),
    to: z.email("Must be an email address").max(254).optional(),
    subject: text(998).optional(),
    status: text(64).min(1).optional().describe("sent, delivered, opened, bounced, received ..."),
    sentAt: timestamp.optional(),
  })
  .describe("An email sent to or received from the lead.");

const noteActivity = z
  .strictObject({
    type: z.literal("note"),
    noteId: identifier("activity.noteId"),
    body: text(4000).min(1, "Must not be empty"),
    author: text(200).min(1).optional(),
    createdAt: timestamp.optional(),
  })
  .describe("A note about the lead, by an agent or the AI.");

const callbackScheduledActivity = z
  .strictObject({
    type: z.literal("callback_scheduled"),
    scheduledFor: timestamp.describe("When the lead is to be called back."),
    reason: text(500).optional(),
    assignedTo: text(200).min(1).optional(),
  })
  .describe("A call back to the lead was scheduled.");

export const activitySchema = z
  .discriminatedUnion(
    "type",
    [callActivity, smsActivity, whatsappActivity, emailActivity, noteActivity, callbackScheduledActivity],
    { error: `activity.type must be one of: ${activityTypes.join(", ")}` },
  )
  .describe(
    "The activity that caused the event: a call attempt (call.completed needs one), a message (sms, whatsapp, email), a note or a scheduled call back. Each type has its own fields.",
  );

export const leadEventSchema = z
  .strictObject({
    id: identifier("id").describe(
      "The producer's unique event id; sending it again is harmless (idempotent).",
    ),
    type: z.enum(eventTypes, { error: `type must be one of: ${eventTypes.join(", ")}` }),
    processId: z.uuid("processId must be the id of a process"),
    occurredAt: timestamp,
    lead: leadSchema,
    activity: activitySchema.optional(),
  })
  .superRefine((event, ctx) => {
    if (event.type === "call.completed" && !event.activity) {
      ctx.addIssue({ code: "custom", path: ["activity"], message: "call.completed needs the call activity" });
    } else if (event.type === "call.completed" && event.activity?.type !== "call") {
      ctx.addIssue({
        code: "custom",
        path: ["activity", "type"],
        message: `call.completed needs a call activity, not ${event.activity?.type}`,
      });
    }
    if (event.type === "lead.status_changed" && !event.lead.status) {
      ctx.addIssue({
        code: "custom",
        path: ["lead", "status"],
        message: "lead.status_changed needs lead.status",
      });
    }
    if (event.type === "lead.disposition_marked" && !event.lead.disposition) {
      ctx.addIssue({
        code: "custom",
        path: ["lead", "disposition"],
        message: "lead.disposition_marked needs lead.disposition",
      });
    }
  })
  .describe("A lead-update event from the calling engine.");

export const eventBatchSchema = z
  .strictObject({
    events: z
      .array(leadEventSchema)
      .min(1, "Send at least one event")
      .max(MAX_BATCH, `At most ${MAX_BATCH} events per request`),
  })
  .describe("Up to 100 events, accepted or rejected together.");

export const ingestBodySchema = z.union([leadEventSchema, eventBatchSchema]);

export type LeadEvent = z.infer<typeof leadEventSchema>;

/** A lead as one event left it: what that event's webhooks report, with the lead's sequence number. */
export type LeadSnapshot = {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  status: string | null;
  disposition: string | null;
  attributes: Record<string, unknown>;
  sequence: number;
};

/**
 * Parses an ingest body into a list of events. A body with an `events` key is a batch; anything else
 * is one event. Issues keep their path (`events.3.lead.phone`), so a batch error names its index.
 */
export function parseIngestBody(body: unknown) {
  const isBatch = typeof body === "object" && body !== null && !Array.isArray(body) && "events" in body;
  if (isBatch) {
    const result = eventBatchSchema.safeParse(body);
    return result.success
      ? { success: true as const, events: result.data.events }
      : { success: false as const, issues: result.error.issues };
  }
  const result = leadEventSchema.safeParse(body);
  return result.success
    ? { success: true as const, events: [result.data] }
    : { success: false as const, issues: result.error.issues };
}

/** `["events", 3, "lead", "phone"]` -> `events[3].lead.phone`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, part) =>
      typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part),
    "",
  );
}
