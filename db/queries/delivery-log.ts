import "server-only";
import { and, desc, eq, gte, ne, sql } from "drizzle-orm";
import { getDb } from "../index";
import { deliveries, deliveryAttempts } from "../schema";

/* A callback's delivery log as "Recent deliveries" shows it: the newest, one in detail, the last day. */

/** The newest deliveries of a callback, for "Recent deliveries". */
export async function listRecentDeliveries(callbackId: string, limit = 20) {
  const db = await getDb();
  return db
    .select({
      id: deliveries.id,
      eventType: deliveries.eventType,
      isTest: deliveries.isTest,
      status: deliveries.status,
      attemptCount: deliveries.attemptCount,
      lastResponseStatus: deliveries.lastResponseStatus,
      lastError: deliveries.lastError,
      lastAttemptAt: deliveries.lastAttemptAt,
      // The built-in queue's next attempt of a retrying delivery (Inngest keeps its own schedule: null).
      nextAttemptAt:
        sql<Date | null>`case when ${deliveries.status} = 'retrying' then ${deliveries.dueAt} end`.mapWith(
          deliveries.dueAt,
        ),
      createdAt: deliveries.createdAt,
      // Column references inside a select's subquery render unqualified, so the names are spelled out.
      latencyMs: sql<number | null>`(select a.latency_ms from delivery_attempts a
        where a.delivery_id = "deliveries"."id" order by a.attempt_number desc limit 1)`,
      requiresWhitelisting: sql<boolean | null>`(select a.requires_whitelisting from delivery_attempts a
        where a.delivery_id = "deliveries"."id" order by a.attempt_number desc limit 1)`,
    })
    .from(deliveries)
    .where(eq(deliveries.callbackId, callbackId))
    .orderBy(desc(deliveries.createdAt), desc(deliveries.id))
    .limit(limit);
}

/** One delivery of a callback with its payload and every attempt, oldest first. */
export async function getDeliveryDetail(callbackId: string, deliveryId: string) {
  const db = await getDb();
  const [delivery] = await db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.id, deliveryId), eq(deliveries.callbackId, callbackId)));
  if (!delivery) return undefined;
  const attempts = await db
    .select()
    .from(deliveryAttempts)
    .where(eq(deliveryAttempts.deliveryId, deliveryId))
    .orderBy(deliveryAttempts.attemptNumber, deliveryAttempts.createdAt);
  return { delivery, attempts };
}

/**
 * Deliveries of a callback attempted over the last 24 hours, per hour of their latest attempt: how many,
 * and how many were delivered (on any attempt).
 */
export async function hourlySuccess(callbackId: string, now = new Date()) {
  const db = await getDb();
  const since = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const perDelivery = db
    .select({
      hour: sql<string>`date_trunc('hour', max(${deliveryAttempts.startedAt}))`.as("hour"),
      ok: sql<boolean>`bool_or(${deliveryAttempts.outcome} = 'succeeded')`.as("ok"),
    })
    .from(deliveryAttempts)
    .where(
      and(
        eq(deliveryAttempts.callbackId, callbackId),
        gte(deliveryAttempts.startedAt, since),
        ne(deliveryAttempts.outcome, "skipped"),
      ),
    )
    .groupBy(deliveryAttempts.deliveryId)
    .as("per_delivery");
  const rows = await db
    .select({
      hour: perDelivery.hour,
      total: sql<number>`count(*)::int`,
      succeeded: sql<number>`count(*) filter (where ${perDelivery.ok})::int`,
    })
    .from(perDelivery)
    .groupBy(perDelivery.hour);
  return rows.map((r) => ({
    hour: new Date(r.hour),
    total: Number(r.total),
    succeeded: Number(r.succeeded),
  }));
}
