import "server-only";
import { and, desc, eq, inArray, lte, sql } from "drizzle-orm";
import { isUuid } from "@/lib/uuid";
import { buildWebhookPayload, subscribes } from "@/lib/webhooks/payload";
import { type Executor, getDb, type Transaction } from "../index";
import { deliveries, events, leadActivities, leadUpdateCallbacks, processes } from "../schema";
import { type AuditContext, recordAudit } from "./audit-log";
import { attemptCallbackColumns, type DeliveryForAttempt } from "./delivery-attempts";

/**
 * Creates one delivery per enabled callback whose Payload Format subscribes to the event's type, each
 * with the payload it will always send (retries and redeliveries send the same bytes). Safe to repeat:
 * existing deliveries are kept and returned.
 */
export async function createDeliveriesForEvent(eventId: string) {
  return createDeliveriesForEvents([eventId]);
}

/**
 * createDeliveriesForEvent for many events at once (a hand-off window): one read of the events, one of
 * their processes' callbacks, one insert, one read back; only Full Lead callbacks read each lead's
 * recent activities.
 */
export async function createDeliveriesForEvents(eventIds: string[]) {
  const db = await getDb();
  const values = await buildDeliveries(db, eventIds);
  if (!values.length) return [];
  await db
    .insert(deliveries)
    .values(values)
    .onConflictDoNothing({ target: [deliveries.eventId, deliveries.callbackId] });
  // The ones just made and any made before (a repeated hand-off): exactly the pairs built above.
  const wanted = new Set(values.map((v) => `${v.eventId}|${v.callbackId}`));
  const stored = await db
    .select({ id: deliveries.id, callbackId: deliveries.callbackId, eventId: deliveries.eventId })
    .from(deliveries)
    .where(inArray(deliveries.eventId, [...new Set(values.map((v) => v.eventId as string))]));
  return stored
    .filter((row) => wanted.has(`${row.eventId}|${row.callbackId}`))
    .map((row) => ({ id: row.id, callbackId: row.callbackId }));
}

/**
 * The deliveries `eventIds` call for: one per enabled callback of each event's process (of `callbackIds`
 * only, when given) whose Payload Format subscribes to the event's type, each with the payload it will
 * always send. Nothing is written.
 */
export async function buildDeliveries(
  exec: Executor,
  eventIds: string[],
  callbackIds?: string[],
): Promise<(typeof deliveries.$inferInsert)[]> {
  return (await planDeliveries(exec, eventIds, callbackIds)).map((plan) => plan.values);
}

/** A delivery to create, with its body as stored and sent, and its callback as an attempt reads it. */
export type DeliveryPlan = {
  values: typeof deliveries.$inferInsert & { eventId: string; payload: Record<string, unknown> };
  body: string;
  callback: DeliveryForAttempt["callback"];
};

/**
 * buildDeliveries with what an attempt needs beside each delivery (its body text and callback), read in
 * one query of the events with their processes and callbacks; only Full Lead callbacks read each lead's
 * recent activities.
 */
export async function planDeliveries(
  exec: Executor,
  eventIds: string[],
  callbackIds?: string[],
): Promise<DeliveryPlan[]> {
  if (!eventIds.length) return [];
  const rows = await exec
    .select({
      event: {
        id: events.id,
        externalId: events.externalId,
        type: events.type,
        processId: events.processId,
        occurredAt: events.occurredAt,
        activity: sql<Record<string, unknown> | null>`${events.payload}->'activity'`,
        leadId: events.leadId,
        leadSequence: events.leadSequence,
        leadSnapshot: events.leadSnapshot,
      },
      processName: processes.name,
      payloadFormat: leadUpdateCallbacks.payloadFormat,
      callback: attemptCallbackColumns,
    })
    .from(events)
    .innerJoin(processes, eq(processes.id, events.processId))
    .innerJoin(
      leadUpdateCallbacks,
      and(
        eq(leadUpdateCallbacks.processId, events.processId),
        eq(leadUpdateCallbacks.enabled, true),
        callbackIds ? inArray(leadUpdateCallbacks.id, callbackIds) : undefined,
      ),
    )
    .where(inArray(events.id, eventIds))
    .orderBy(events.id, leadUpdateCallbacks.position);

  const plans: DeliveryPlan[] = [];
  const recent = new Map<string, Promise<Record<string, unknown>[]>>();
  for (const { event, processName, payloadFormat, callback } of rows) {
    const { leadId, leadSequence, leadSnapshot } = event;
    if (!leadSnapshot || leadId === null || leadSequence === null) continue;
    if (!subscribes(payloadFormat, event.type)) continue;
    let recentActivities: Record<string, unknown>[] = [];
    if (payloadFormat === "full_lead") {
      if (!recent.has(event.id)) recent.set(event.id, recentActivitiesOf(exec, leadId, leadSequence));
      recentActivities = await (recent.get(event.id) as Promise<Record<string, unknown>[]>);
    }
    const payload = buildWebhookPayload({
      format: payloadFormat,
      eventId: event.externalId,
      type: event.type,
      occurredAt: event.occurredAt,
      process: { id: event.processId, name: processName },
      lead: leadSnapshot,
      activity: event.activity ?? null,
      recentActivities,
    });
    plans.push({
      values: { callbackId: callback.id, eventId: event.id, eventType: event.type, payload },
      // The json column keeps this text as it is: what is sent now and on every retry.
      body: JSON.stringify(payload),
      callback,
    });
  }
  return plans;
}

/** The lead's last 20 activities up to this event, newest first, for Full Lead payloads. */
async function recentActivitiesOf(exec: Executor, leadId: string, leadSequence: number) {
  const rows = await exec
    .select({ activity: leadActivities.activity })
    .from(leadActivities)
    .innerJoin(events, eq(events.id, leadActivities.eventId))
    .where(and(eq(leadActivities.leadId, leadId), lte(events.leadSequence, leadSequence)))
    .orderBy(desc(events.leadSequence))
    .limit(20);
  return rows.map((a) => a.activity);
}

/** A "Send test" delivery: a sample event for one callback, recorded like any other. */
export async function createTestDelivery(
  callbackId: string,
  eventType: string,
  payload: Record<string, unknown>,
  audit?: { context: AuditContext; targetLabel: string },
) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(deliveries)
      .values({ callbackId, isTest: true, eventType, payload })
      .returning({ id: deliveries.id });
    if (!row) throw new Error("Insert returned no row");
    if (audit) {
      await recordAudit(tx, audit.context, {
        action: "test.sent",
        targetType: "callback",
        targetId: callbackId,
        targetLabel: audit.targetLabel,
        details: { deliveryId: row.id, eventType },
      });
    }
    return row.id;
  });
}

/**
 * "Redeliver": marks the delivery pending and, in the same transaction, hands it to `queue` (the
 * engine), so the row never claims a redelivery that was not queued. Same id (webhook-id), same payload.
 * False when the delivery does not exist; rejects, changing nothing, when `queue` does.
 */
export async function requeueDelivery(
  callbackId: string,
  deliveryId: string,
  queue: (tx: Transaction, delivery: { deliveryId: string; callbackId: string }) => Promise<void>,
  audit?: { context: AuditContext; targetLabel: string },
): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(deliveries)
      // An admin's Redeliver belongs to no replay: a cancelled one must not stop it.
      .set({ status: "pending", replayId: null, updatedAt: sql`now()` })
      .where(and(eq(deliveries.id, deliveryId), eq(deliveries.callbackId, callbackId)))
      .returning({ id: deliveries.id, callbackId: deliveries.callbackId });
    if (!row) return false;
    if (audit) {
      await recordAudit(tx, audit.context, {
        action: "delivery.redelivered",
        targetType: "delivery",
        targetId: row.id,
        targetLabel: audit.targetLabel,
      });
    }
    await queue(tx, { deliveryId: row.id, callbackId: row.callbackId });
    return true;
  });
}

/**
 * Records that the engine stopped running a delivery without a final attempt (its own retries for
 * reaching this server ran out): the row says failed, with why, instead of pending for ever.
 */
export async function markDeliveryAbandoned(deliveryId: string, reason: string): Promise<void> {
  if (!isUuid(deliveryId)) return;
  const db = await getDb();
  await db
    .update(deliveries)
    .set({
      status: "failed",
      lastError: `Delivery stopped: the delivery engine gave up (${reason.slice(0, 300)}). Use Redeliver to try again.`,
      dueAt: null,
      lockedUntil: null,
      updatedAt: sql`now()`,
    })
    .where(and(eq(deliveries.id, deliveryId), inArray(deliveries.status, ["pending", "retrying"])));
}

/**
 * Records that a queued run was not sent (its callback was turned off, or its replay cancelled): the row
 * says failed, with why, instead of pending for ever. A run already settled is left as it is.
 */
export async function markDeliveryNotSent(deliveryId: string, reason: string): Promise<void> {
  if (!isUuid(deliveryId)) return;
  const db = await getDb();
  await db
    .update(deliveries)
    .set({ status: "failed", lastError: reason, dueAt: null, lockedUntil: null, updatedAt: sql`now()` })
    .where(and(eq(deliveries.id, deliveryId), inArray(deliveries.status, ["pending", "retrying"])));
}
