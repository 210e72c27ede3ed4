import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  json,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { LeadSnapshot } from "../lib/validations/event";

export const processStatus = pgEnum("process_status", ["active", "paused", "archived"]);
export const payloadFormat = pgEnum("payload_format", ["activity_update", "full_lead"]);
export const callbackAuthType = pgEnum("callback_auth_type", ["none", "bearer", "custom_header"]);

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};

export const workspaces = pgTable("workspaces", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  ...timestamps,
});

export const processes = pgTable(
  "processes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    language: text("language").notNull().default("English"),
    status: processStatus("status").notNull().default("active"),
    /** Optimistic concurrency: every save must name the version it was based on. */
    version: integer("version").notNull().default(1),
    ...timestamps,
  },
  (t) => [index("processes_workspace_idx").on(t.workspaceId, t.name)],
);

export const leadUpdateCallbacks = pgTable(
  "lead_update_callbacks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    processId: uuid("process_id")
      .notNull()
      .references(() => processes.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    url: text("url").notNull(),
    payloadFormat: payloadFormat("payload_format").notNull().default("activity_update"),
    requiresWhitelisting: boolean("requires_whitelisting").notNull().default(false),
    authType: callbackAuthType("auth_type").notNull().default("none"),
    bearerTokenEncrypted: text("bearer_token_encrypted"),
    authHeaderKey: text("auth_header_key"),
    authHeaderValueEncrypted: text("auth_header_value_encrypted"),
    signingSecretEncrypted: text("signing_secret_encrypted").notNull(),
    /** The secret a rotation replaced: deliveries are signed with it too until it expires. */
    previousSigningSecretEncrypted: text("previous_signing_secret_encrypted"),
    previousSigningSecretExpiresAt: timestamp("previous_signing_secret_expires_at", { withTimezone: true }),
    enabled: boolean("enabled").notNull().default(true),
    /** Why leadhook turned the callback off by itself (a 410 Gone, or every delivery failing for a while). */
    disabledReason: text("disabled_reason"),
    /** When leadhook turned it off by itself; cleared, with the reason, when an admin enables it again. */
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [index("lead_update_callbacks_process_idx").on(t.processId, t.position)],
);

/** Keys that event producers send as `Authorization: Bearer lh_...`; only a SHA-256 hash is stored. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The first characters of the key, shown so admins can tell keys apart. */
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("api_keys_workspace_idx").on(t.workspaceId)],
);

/** The latest known state of each lead, merged from every event the producer sent about it. */
export const leads = pgTable(
  "leads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    processId: uuid("process_id")
      .notNull()
      .references(() => processes.id, { onDelete: "cascade" }),
    externalId: text("external_id").notNull(),
    name: text("name"),
    phone: text("phone"),
    email: text("email"),
    status: text("status"),
    disposition: text("disposition"),
    attributes: jsonb("attributes").$type<Record<string, unknown>>().notNull().default({}),
    /** Increments with every event about the lead, so receivers can drop stale updates. */
    sequence: integer("sequence").notNull().default(0),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("leads_process_external_idx").on(t.processId, t.externalId),
    // The Events page finds a lead by its phone number.
    index("leads_phone_idx").on(t.phone),
  ],
);

export const leadActivities = pgTable(
  "lead_activities",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    leadId: uuid("lead_id")
      .notNull()
      .references(() => leads.id, { onDelete: "cascade" }),
    eventId: uuid("event_id").notNull(),
    activity: jsonb("activity").$type<Record<string, unknown>>().notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("lead_activities_lead_idx").on(t.leadId, t.occurredAt)],
);

/** Every accepted lead-update event, stored before it is acknowledged; also the hand-off outbox. */
export const events = pgTable(
  "events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    processId: uuid("process_id")
      .notNull()
      .references(() => processes.id, { onDelete: "cascade" }),
    externalId: text("external_id").notNull(),
    type: text("type").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    /** Filled in the same transaction that stores the event, once the lead is merged. */
    leadId: uuid("lead_id").references(() => leads.id, { onDelete: "cascade" }),
    leadSequence: integer("lead_sequence"),
    /** The lead as this event left it: what its webhooks report, however the lead changes later. */
    leadSnapshot: jsonb("lead_snapshot").$type<LeadSnapshot>(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    /** Set once Inngest accepted the event; null means the hand-off is still pending. */
    handedOffAt: timestamp("handed_off_at", { withTimezone: true }),
    handoffAttempts: integer("handoff_attempts").notNull().default(0),
    lastHandoffError: text("last_handoff_error"),
  },
  (t) => [
    uniqueIndex("events_workspace_external_idx").on(t.workspaceId, t.externalId),
    index("events_pending_handoff_idx").on(t.receivedAt).where(sql`${t.handedOffAt} is null`),
    index("events_process_idx").on(t.processId, t.receivedAt),
    // The Events page: a workspace's events newest first, and one lead's. Ascending on purpose: read
    // backwards, it gives `order by received_at desc, id desc` (nulls first) as queried; a DESC NULLS
    // LAST index would not.
    index("events_workspace_received_idx").on(t.workspaceId, t.receivedAt, t.id),
    index("events_lead_idx").on(t.leadId, t.receivedAt),
  ],
);

export const deliveryStatus = pgEnum("delivery_status", ["pending", "retrying", "succeeded", "failed"]);

export const replayStatus = pgEnum("replay_status", ["queueing", "delivering", "finished", "cancelled"]);

/**
 * "Replay failed deliveries": stored deliveries sent again (same webhook-id, new attempts), and events a
 * callback never got (it was off) sent for the first time, chosen by the filters below among what existed
 * when the replay started. The engine queues them in batches; the deliveries it queued carry its id.
 */
export const replays = pgTable(
  "replays",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    processId: uuid("process_id")
      .notNull()
      .references(() => processes.id, { onDelete: "cascade" }),
    /** One callback, or null for every callback of the process that is on. */
    callbackId: uuid("callback_id").references(() => leadUpdateCallbacks.id, { onDelete: "cascade" }),
    /** Events received in [since, until); until is when the replay started unless an earlier end was chosen. */
    since: timestamp("since", { withTimezone: true }).notNull(),
    until: timestamp("until", { withTimezone: true }).notNull(),
    eventTypes: text("event_types").array(),
    leadStatus: text("lead_status"),
    disposition: text("disposition"),
    /** Also send again deliveries that succeeded (a receiver that lost its data), not only failed ones. */
    includeSucceeded: boolean("include_succeeded").notNull().default(false),
    status: replayStatus("status").notNull().default("queueing"),
    /** What matched when it started, and how many of those it has queued so far. */
    total: integer("total").notNull(),
    queued: integer("queued").notNull().default(0),
    /** Counted when its last delivery settled: later replays may take its deliveries over. */
    succeeded: integer("succeeded"),
    failed: integer("failed"),
    /** Who started it, as the page names them; the audit log keeps the account. */
    startedBy: text("started_by"),
    /** Why the engine stopped queueing it, when it gave up (what it queued before still runs). */
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("replays_process_idx").on(t.processId, t.createdAt),
    // One replay of a process queues at a time; others may still be delivering.
    uniqueIndex("replays_queueing_idx").on(t.processId).where(sql`${t.status} = 'queueing'`),
  ],
);

/** One event sent to one callback (or a "Send test"); its id is the webhook-id, stable across retries. */
export const deliveries = pgTable(
  "deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    callbackId: uuid("callback_id")
      .notNull()
      .references(() => leadUpdateCallbacks.id, { onDelete: "cascade" }),
    eventId: uuid("event_id").references(() => events.id, { onDelete: "cascade" }),
    isTest: boolean("is_test").notNull().default(false),
    eventType: text("event_type").notNull(),
    /** json, not jsonb: the body keeps its key order, and every retry sends the same bytes. */
    payload: json("payload").$type<Record<string, unknown>>().notNull(),
    status: deliveryStatus("status").notNull().default("pending"),
    attemptCount: integer("attempt_count").notNull().default(0),
    lastResponseStatus: integer("last_response_status"),
    lastError: text("last_error"),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    /** The replay that last queued it: its progress, and a cancelled replay's deliveries are not sent. */
    replayId: uuid("replay_id").references(() => replays.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("deliveries_event_callback_idx").on(t.eventId, t.callbackId),
    index("deliveries_callback_idx").on(t.callbackId, t.createdAt),
    // The rare unsettled ones (failing, pending): the Events page's state filters and replays start here.
    index("deliveries_unsettled_idx").on(t.eventId).where(sql`${t.status} <> 'succeeded'`),
    index("deliveries_replay_idx").on(t.replayId, t.status).where(sql`${t.replayId} is not null`),
  ],
);

export const deliveryAttempts = pgTable(
  "delivery_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => deliveries.id, { onDelete: "cascade" }),
    /** The delivery's callback, kept here so a callback's attempts read in time order (its health). */
    callbackId: uuid("callback_id").notNull(),
    attemptNumber: integer("attempt_number").notNull(),
    outcome: text("outcome").notNull(),
    responseStatus: integer("response_status"),
    latencyMs: integer("latency_ms").notNull(),
    errorClass: text("error_class"),
    errorMessage: text("error_message"),
    responseExcerpt: text("response_excerpt"),
    requestHeaders: jsonb("request_headers").$type<Record<string, string>>().notNull(),
    /**
     * Whether the callback required a whitelisted source when this attempt was made: its failure hint
     * speaks of that attempt, however the setting changed since (null: recorded before it was kept).
     */
    requiresWhitelisting: boolean("requires_whitelisting"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("delivery_attempts_delivery_idx").on(t.deliveryId, t.attemptNumber),
    index("delivery_attempts_callback_idx").on(t.callbackId, t.startedAt),
  ],
);

export type Workspace = typeof workspaces.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type Lead = typeof leads.$inferSelect;
export type StoredEvent = typeof events.$inferSelect;
export type Delivery = typeof deliveries.$inferSelect;
export type DeliveryAttempt = typeof deliveryAttempts.$inferSelect;
export type Replay = typeof replays.$inferSelect;
export type Process = typeof processes.$inferSelect;
export type NewProcess = typeof processes.$inferInsert;
export type LeadUpdateCallback = typeof leadUpdateCallbacks.$inferSelect;
export type NewLeadUpdateCallback = typeof leadUpdateCallbacks.$inferInsert;
