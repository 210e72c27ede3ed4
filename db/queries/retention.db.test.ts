import { eq, inArray, sql } from "drizzle-orm";
import { describe, expect } from "vitest";
import { auditLog } from "@/db/access-schema";
import type { Database } from "@/db/index";
import { deliveries, deliveryAttempts, events, leadActivities, replays } from "@/db/schema";
import { test as dbTest } from "@/testing/db-test";
import { processWithCallbacks, sampleEvent } from "@/testing/fixtures";
import { createDeliveriesForEvents, createTestDelivery } from "./deliveries";
import { storeEvents } from "./events";
import { purgeExpired } from "./retention";

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
type DeliveryStatus = "pending" | "retrying" | "succeeded" | "failed";

/** One attempt recorded for a delivery. */
async function attemptOf(db: Database, deliveryId: string, callbackId: string, at: Date) {
  await db.insert(deliveryAttempts).values({
    deliveryId,
    callbackId,
    attemptNumber: 1,
    outcome: "succeeded",
    responseStatus: 200,
    latencyMs: 10,
    requestHeaders: {},
    startedAt: at,
  });
}

/**
 * A process with one callback and, as a server would have left them: events received `days` ago (handed off
 * unless told), each with its delivery in `status` and one attempt.
 */
const it = dbTest.extend("world", { scope: "file" }, async ({ db, workspaceId }) => {
  const { process, callbackIds } = await processWithCallbacks("Retention", [{}]);
  const callbackId = callbackIds[0] as string;

  async function event(name: string, days: number, status: DeliveryStatus, handedOff = true) {
    const { accepted } = await storeEvents(workspaceId, [sampleEvent(process.id, { id: `evt_${name}` })]);
    const eventId = accepted[0]?.id as string;
    await createDeliveriesForEvents([eventId]);
    const at = daysAgo(days);
    await db
      .update(events)
      .set({ receivedAt: at, handedOffAt: handedOff ? at : null })
      .where(eq(events.id, eventId));
    const [delivery] = await db
      .update(deliveries)
      .set({ status, createdAt: at })
      .where(eq(deliveries.eventId, eventId))
      .returning({ id: deliveries.id });
    await attemptOf(db, delivery?.id as string, callbackId, at);
    return { eventId, deliveryId: delivery?.id as string };
  }

  async function testDelivery(days: number, status: DeliveryStatus) {
    const id = await createTestDelivery(callbackId, "call.completed", { data: {} });
    await db
      .update(deliveries)
      .set({ status, createdAt: daysAgo(days) })
      .where(eq(deliveries.id, id));
    await attemptOf(db, id, callbackId, daysAgo(days));
    return id;
  }

  async function replay(days: number, status: "delivering" | "finished") {
    const [row] = await db
      .insert(replays)
      .values({
        workspaceId,
        processId: process.id,
        since: daysAgo(days + 1),
        until: daysAgo(days),
        total: 1,
        status,
        createdAt: daysAgo(days),
      })
      .returning({ id: replays.id });
    return row?.id as string;
  }

  async function auditEntry(days: number) {
    const [row] = await db
      .insert(auditLog)
      .values({ workspaceId, actorLabel: "test", action: "process.updated", createdAt: daysAgo(days) })
      .returning({ id: auditLog.id });
    return row?.id as string;
  }

  return { callbackId, event, testDelivery, replay, auditEntry };
});

const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

describe("purgeExpired", () => {
  it("deletes what is past the retention in batches, with each event's deliveries and attempts, and keeps the rest", async ({
    db,
    world,
  }) => {
    const expired = [
      await world.event("old_ok", 40, "succeeded"),
      await world.event("old_failed", 40, "failed"),
      await world.event("old_ok_2", 31, "succeeded"),
    ];
    const kept = [
      // Still being delivered, or never handed off: kept until settled, however old.
      await world.event("old_retrying", 40, "retrying"),
      await world.event("old_pending", 40, "pending"),
      await world.event("old_not_handed_off", 40, "succeeded", false),
      await world.event("recent", 29, "failed"),
    ];
    const oldTest = await world.testDelivery(40, "failed");
    const keptTests = [await world.testDelivery(40, "retrying"), await world.testDelivery(1, "succeeded")];
    const oldReplay = await world.replay(40, "finished");
    // Still delivering (one of its deliveries retries): kept however old.
    const deliveringReplay = await world.replay(40, "delivering");
    // Done delivering but not yet counted: counted before its delivery goes with its old event.
    const uncounted = await world.replay(1, "delivering");
    const keptReplays = [deliveringReplay, uncounted, await world.replay(1, "finished")];
    // A kept delivery the old replay queued loses only its link to it.
    const recentDelivery = kept[3]?.deliveryId as string;
    await db.update(deliveries).set({ replayId: oldReplay }).where(eq(deliveries.id, recentDelivery));
    await db
      .update(deliveries)
      .set({ replayId: deliveringReplay })
      .where(eq(deliveries.id, kept[0]?.deliveryId as string));
    await db
      .update(deliveries)
      .set({ replayId: uncounted })
      .where(eq(deliveries.id, expired[0]?.deliveryId as string));
    const oldAudit = await world.auditEntry(400);
    const keptAudit = await world.auditEntry(100);

    const result = await purgeExpired({
      before: daysAgo(30),
      auditBefore: daysAgo(365),
      batchSize: 2,
      pauseMs: 0,
    });
    expect(result).toEqual({ events: 3, testDeliveries: 1, replays: 1, auditEntries: 1, more: false });

    const keptEvents = kept.map((k) => k.eventId);
    const eventRows = await db.select({ id: events.id }).from(events);
    expect(ids(eventRows)).toEqual([...keptEvents].sort());
    const deliveryRows = await db
      .select({ id: deliveries.id, replayId: deliveries.replayId })
      .from(deliveries);
    expect(ids(deliveryRows)).toEqual([...kept.map((k) => k.deliveryId), ...keptTests].sort());
    expect(deliveryRows.find((d) => d.id === recentDelivery)?.replayId).toBeNull();
    const gone = [...expired.map((e) => e.deliveryId), oldTest];
    expect(
      await db.select().from(deliveryAttempts).where(inArray(deliveryAttempts.deliveryId, gone)),
    ).toHaveLength(0);
    expect(await db.select({ id: deliveryAttempts.id }).from(deliveryAttempts)).toHaveLength(6);
    expect(ids(await db.select({ id: replays.id }).from(replays))).toEqual([...keptReplays].sort());
    const [counted] = await db.select().from(replays).where(eq(replays.id, uncounted));
    expect(counted).toMatchObject({ status: "finished", succeeded: 1, failed: 0 });
    // The lead keeps its state; the activities the expired events recorded are gone with them.
    const activities = await db.select({ eventId: leadActivities.eventId }).from(leadActivities);
    expect(activities.map((a) => a.eventId).sort()).toEqual(
      [...keptEvents].filter((id) => activities.some((a) => a.eventId === id)).sort(),
    );
    expect(activities.length).toBeGreaterThan(0);
    expect(activities.some((a) => expired.some((e) => e.eventId === a.eventId))).toBe(false);
    const audit = await db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(inArray(auditLog.id, [oldAudit, keptAudit]));
    expect(ids(audit)).toEqual([keptAudit]);

    // Nothing more to do: a second run deletes nothing.
    expect(
      await purgeExpired({ before: daysAgo(30), auditBefore: daysAgo(365), batchSize: 2, pauseMs: 0 }),
    ).toEqual({ events: 0, testDeliveries: 0, replays: 0, auditEntries: 0, more: false });
  });

  it("stops when its time is up, saying more is left, and the next run goes on", async ({ db, world }) => {
    for (let n = 0; n < 3; n++) await world.event(`budget_${n}`, 50, "succeeded");
    const before = daysAgo(45);
    const count = async () =>
      (
        await db
          .select({ n: sql<number>`count(*)::int` })
          .from(events)
          .where(sql`${events.receivedAt} < ${before.toISOString()}`)
      )[0]?.n;
    expect(await count()).toBe(3);
    const stopped = await purgeExpired({ before, auditBefore: daysAgo(36_500), budgetMs: -1 });
    expect(stopped).toMatchObject({ events: 0, more: true });
    expect(await count()).toBe(3);
    expect(await purgeExpired({ before, auditBefore: daysAgo(36_500), pauseMs: 0 })).toMatchObject({
      events: 3,
      more: false,
    });
    expect(await count()).toBe(0);
  });
  it("keeps everything of a kind whose retention is 0 (null)", async ({ db, world }) => {
    const { eventId } = await world.event("forever", 400, "succeeded");
    const audit = await world.auditEntry(4000);
    expect(await purgeExpired({ before: null, auditBefore: null, pauseMs: 0 })).toEqual({
      events: 0,
      testDeliveries: 0,
      replays: 0,
      auditEntries: 0,
      more: false,
    });
    expect(await db.select({ id: events.id }).from(events).where(eq(events.id, eventId))).toHaveLength(1);
    expect(await db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.id, audit))).toHaveLength(1);
  });
});
