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
import { deliveryStatuses, replayStatuses } from "../lib/validations/delivery-status";
import { timestamps } from "./columns";
import { events } from "./event-schema";
import { leadUpdateCallbacks, processRef, workspaceRef } from "./process-schema";

export const deliveryStatus = pgEnum("delivery_status", deliveryStatuses);

export const replayStatus = pgEnum("replay_status", replayStatuses);

/**
 * "Replay failed deliveries": stored deliveries sent again (same webhook-id, new attempts), and events a
 * callback never got (it was off) sent for the first time, chosen by the filters below among what existed
 * when the replay started. The engine queues them in batches; the deliveries it queued carry its id.
 */
export const replays = pgTable(
  "replays",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    processId: processRef(),
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
    // The built-in queue (delivery/embedded.ts) is this table: a row is queued while due_at is set,
    // claimable once due_at has come and nobody holds it (locked_until null or past). Inngest keeps its
    // own queue and leaves these null.
    /** When its next attempt is due on the built-in queue; null when nothing is queued. */
    dueAt: timestamp("due_at", { withTimezone: true }),
    /** A server holds it until then (attempting, or waiting for its callback's turn); heartbeats extend it. */
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    /** Counts runs (Redeliver, a replay): an attempt of an earlier run does not settle the current one. */
    run: integer("run").notNull().default(0),
    /** Attempts recorded in the current run: the retry policy's attempt number is one more. */
    runAttempts: integer("run_attempts").notNull().default(0),
    /** Times it was claimed since its last recorded attempt: past a limit the queue gives up on it. */
    claims: integer("claims").notNull().default(0),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("deliveries_event_callback_idx").on(t.eventId, t.callbackId),
    index("deliveries_callback_idx").on(t.callbackId, t.createdAt),
    // The rare unsettled ones (failing, pending): the Events page's state filters and replays start here.
    index("deliveries_unsettled_idx").on(t.eventId).where(sql`${t.status} <> 'succeeded'`),
    index("deliveries_replay_idx").on(t.replayId, t.status).where(sql`${t.replayId} is not null`),
    // The queue's claim: due rows only, in due order (a settled delivery leaves it).
    index("deliveries_due_idx").on(t.dueAt).where(sql`${t.dueAt} is not null`),
    // The retention purge of deliveries without an event (Send test): events take theirs with them.
    index("deliveries_eventless_created_idx").on(t.createdAt).where(sql`${t.eventId} is null`),
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

export type Delivery = typeof deliveries.$inferSelect;
export type DeliveryAttempt = typeof deliveryAttempts.$inferSelect;
export type Replay = typeof replays.$inferSelect;
