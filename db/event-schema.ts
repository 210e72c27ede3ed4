import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { LeadSnapshot } from "../lib/validations/event";
import { timestamps } from "./columns";
import { processRef, workspaceRef } from "./process-schema";

/** The latest known state of each lead, merged from every event the producer sent about it. */
export const leads = pgTable(
  "leads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    processId: processRef(),
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
  (t) => [
    index("lead_activities_lead_idx").on(t.leadId, t.occurredAt),
    // The retention purge deletes an event's activity with it.
    index("lead_activities_event_idx").on(t.eventId),
  ],
);

/** Every accepted lead-update event, stored before it is acknowledged; also the hand-off outbox. */
export const events = pgTable(
  "events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    processId: processRef(),
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
    // The retention purge: the oldest events first, across workspaces (db/queries/retention.ts).
    index("events_received_idx").on(t.receivedAt),
  ],
);

export type Lead = typeof leads.$inferSelect;
export type StoredEvent = typeof events.$inferSelect;
