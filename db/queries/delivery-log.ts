import "server-only";
import { and, desc, eq, gte, sql } from "drizzle-orm";
import { isUuid } from "@/lib/uuid";
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
  if (!isUuid(deliveryId) || !isUuid(callbackId)) return undefined;
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

/** Attempts of a callback over the last 24 hours, per hour: how many, and how many succeeded. */
export async function hourlySuccess(callbackId: string, now = new Date()) {
  const db = await getDb();
  const since = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const hour = sql<string>`date_trunc('hour', ${deliveryAttempts.startedAt})`;
  const rows = await db
    .select({
      hour,
      total: sql<number>`count(*)::int`,
      succeeded: sql<number>`count(*) filter (where ${deliveryAttempts.outcome} = 'succeeded')::int`,
    })
    .from(deliveryAttempts)
    .innerJoin(deliveries, eq(deliveries.id, deliveryAttempts.deliveryId))
    .where(and(eq(deliveries.callbackId, callbackId), gte(deliveryAttempts.startedAt, since)))
    .groupBy(hour);
  return rows.map((r) => ({
    hour: new Date(r.hour),
    total: Number(r.total),
    succeeded: Number(r.succeeded),
  }));
}
