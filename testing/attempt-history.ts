import { inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/index";
import { createTestDelivery } from "@/db/queries/deliveries";
import { deliveryAttempts, leadUpdateCallbacks } from "@/db/schema";

/** `delivery`: attempts with the same label are retries of one delivery (default: a delivery each). */
export type PastAttempt = { ok: boolean; at: Date; latencyMs?: number; delivery?: string };

const HOUR = 60 * 60 * 1000;

/** A point `hours` before `from` (now by default). */
export function hoursAgo(hours: number, from = new Date()): Date {
  return new Date(from.getTime() - hours * HOUR);
}

/**
 * Marks callbacks as last saved 30 days ago: a failing run is counted from a callback's last save, so
 * their history alone decides whether they are turned off.
 */
export async function markSavedLongAgo(callbackIds: string[]): Promise<void> {
  const db = await getDb();
  await db
    .update(leadUpdateCallbacks)
    .set({ updatedAt: sql`now() - interval '30 days'` })
    .where(inArray(leadUpdateCallbacks.id, callbackIds));
}

/**
 * Writes a callback's delivery history as it would have been recorded: one delivery per attempt unless
 * attempts share a `delivery` label, succeeded (200) or failed (500), started at the given times.
 */
export async function recordHistory(callbackId: string, attempts: PastAttempt[]): Promise<void> {
  const db = await getDb();
  const byLabel = new Map<string, { id: string; attempts: number }>();
  for (const attempt of attempts) {
    let delivery = attempt.delivery ? byLabel.get(attempt.delivery) : undefined;
    if (!delivery) {
      delivery = { id: await createTestDelivery(callbackId, "call.completed", { data: {} }), attempts: 0 };
      if (attempt.delivery) byLabel.set(attempt.delivery, delivery);
    }
    delivery.attempts++;
    await db.insert(deliveryAttempts).values({
      deliveryId: delivery.id,
      callbackId,
      attemptNumber: delivery.attempts,
      outcome: attempt.ok ? "succeeded" : "retry",
      responseStatus: attempt.ok ? 200 : 500,
      latencyMs: attempt.latencyMs ?? 100,
      errorMessage: attempt.ok ? null : "HTTP 500",
      requestHeaders: {},
      startedAt: attempt.at,
    });
  }
}
