import { eq, type SQL, sql } from "drizzle-orm";
import { describe, expect } from "vitest";
import { getDb } from "@/db/index";
import { buildDeliveries } from "@/db/queries/deliveries";
import { recordAttempt } from "@/db/queries/delivery-attempts";
import { claimDueDeliveries, countQueuedDeliveries, queueNewRuns } from "@/db/queries/delivery-queue";
import { storeEvents } from "@/db/queries/events";
import { deliveries, deliveryAttempts } from "@/db/schema";
import type { Receiver } from "@/e2e/receiver";
import type { AttemptResult } from "@/lib/webhooks/deliver";
import { withEmbeddedEngine } from "@/testing/db-test";
import { processWithCallbacks, sampleEvent } from "@/testing/fixtures";
import { getEngine, handOff, stopEngine } from "./runtime";

// The deliveries table as the built-in engine's queue: what a row says while it waits, is held, is
// retried, and after a server holding it died.
const it = withEmbeddedEngine({ retrySchedule: "1m,1m,1m" });

async function rowOf(deliveryId: string) {
  const db = await getDb();
  const [row] = await db
    .select({
      status: deliveries.status,
      dueAt: deliveries.dueAt,
      lockedUntil: deliveries.lockedUntil,
      run: deliveries.run,
      runAttempts: deliveries.runAttempts,
      claims: deliveries.claims,
      lastError: deliveries.lastError,
    })
    .from(deliveries)
    .where(eq(deliveries.id, deliveryId));
  return row;
}

/** A stored event and its delivery row, created by hand (not handed off), with `queue` columns set. */
async function storedDelivery(
  receiver: Receiver,
  name: string,
  queue: { dueAt?: SQL; lockedUntil?: SQL; claims?: number } = {},
) {
  const setup = await processWithCallbacks(`${name} ${Math.random()}`, [{ url: `${receiver.url}/${name}` }]);
  const stored = await storeEvents(setup.workspaceId, [sampleEvent(setup.process.id)]);
  const db = await getDb();
  const [values] = await buildDeliveries(db, [stored.accepted[0]?.id as string]);
  if (!values) throw new Error("no delivery built");
  const [row] = await db
    .insert(deliveries)
    // drizzle types timestamp values as Date; an SQL expression (the database clock) is what it sends.
    .values({ ...values, ...(queue as Record<string, unknown>) })
    .returning({ id: deliveries.id });
  return row?.id as string;
}

const ago = (ms: number) => sql`now() - ${ms} * interval '1 millisecond'`;
const ahead = (ms: number) => sql`now() + ${ms} * interval '1 millisecond'`;

describe("the deliveries table as the queue", () => {
  it("a handed-off delivery leaves the queue once it succeeded: nothing due, nothing held", async ({
    db,
    receiver,
    engine: _,
  }) => {
    const setup = await processWithCallbacks(`settled ${Math.random()}`, [
      { url: `${receiver.url}/settled` },
    ]);
    const stored = await storeEvents(setup.workspaceId, [sampleEvent(setup.process.id)]);
    await handOff([stored.accepted[0]?.id as string]);
    await receiver.waitFor((w) => w.path === "/settled");
    const [delivery] = await db
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(eq(deliveries.callbackId, setup.callbackIds[0] as string));
    await expect.poll(async () => (await rowOf(delivery?.id as string))?.status).toBe("succeeded");
    expect(await rowOf(delivery?.id as string)).toMatchObject({
      dueAt: null,
      lockedUntil: null,
      runAttempts: 1,
      claims: 0,
    });
  });

  it("a failed attempt stays on its row, due after the backoff, held by nobody, attempt 2 next", async ({
    receiver,
    engine: _,
  }) => {
    receiver.respondWith(() => ({ status: 503 }));
    const id = await storedDelivery(receiver, "backoff", { dueAt: ago(10) });
    await receiver.waitFor((w) => w.path === "/backoff");
    await expect.poll(async () => (await rowOf(id))?.status).toBe("retrying");
    const row = await rowOf(id);
    expect(row).toMatchObject({ lockedUntil: null, runAttempts: 1, claims: 0 });
    // The schedule's first wait: 60 s, ±10%.
    const wait = (row?.dueAt?.getTime() ?? 0) - Date.now();
    expect(wait).toBeGreaterThan(40_000);
    expect(wait).toBeLessThan(75_000);
  });

  it("a row held by a server that died is sent once its lock ran out; one still held is left alone", async ({
    receiver,
    engine: _,
  }) => {
    const orphan = await storedDelivery(receiver, "orphan", { dueAt: ago(60_000), lockedUntil: ago(1) });
    const heldElsewhere = await storedDelivery(receiver, "elsewhere", {
      dueAt: ago(60_000),
      lockedUntil: ahead(60_000),
    });
    await receiver.waitFor((w) => w.path === "/orphan", 5000);
    await expect.poll(async () => (await rowOf(orphan))?.status).toBe("succeeded");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.received.filter((w) => w.path === "/elsewhere")).toHaveLength(0);
    expect((await rowOf(heldElsewhere))?.status).toBe("pending");
  });

  it("a row claimed again and again without a recorded attempt is marked failed, not sent", async ({
    receiver,
    engine: _,
  }) => {
    const id = await storedDelivery(receiver, "stuck", { dueAt: ago(10), claims: 20 });
    await expect.poll(async () => (await rowOf(id))?.status).toBe("failed");
    const row = await rowOf(id);
    expect(row?.lastError).toContain("the delivery engine gave up");
    expect(row).toMatchObject({ dueAt: null, lockedUntil: null });
    expect(receiver.received.filter((w) => w.path === "/stuck")).toHaveLength(0);
  });
});

describe("claiming and recording", () => {
  const result = (status: number): AttemptResult => ({
    outcome: status < 300 ? "succeeded" : "retry",
    responseStatus: status,
    latencyMs: 3,
    errorClass: null,
    errorMessage: status < 300 ? null : `HTTP ${status}`,
    responseExcerpt: null,
    retryAfterMs: null,
    requestHeaders: {},
    startedAt: new Date(),
  });

  it("a claim skips rows not yet due, held rows and busy callbacks, and holds what it takes", async ({
    db,
    receiver,
    engine: _,
  }) => {
    // Stop the engine so that only this test claims.
    await stopEngine();
    try {
      const due = await storedDelivery(receiver, "due", { dueAt: ago(5) });
      const later = await storedDelivery(receiver, "later", { dueAt: ahead(60_000) });
      const held = await storedDelivery(receiver, "held", { dueAt: ago(5), lockedUntil: ahead(60_000) });
      const busy = await storedDelivery(receiver, "busy", { dueAt: ago(5) });
      const [busyRow] = await db
        .select({ callbackId: deliveries.callbackId })
        .from(deliveries)
        .where(eq(deliveries.id, busy));
      const claimed = await claimDueDeliveries(100, 30_000, [busyRow?.callbackId as string]);
      const ids = claimed.map((c) => c.deliveryId);
      expect(ids).toContain(due);
      expect(ids).not.toContain(later);
      expect(ids).not.toContain(held);
      expect(ids).not.toContain(busy);
      expect(claimed.find((c) => c.deliveryId === due)).toMatchObject({ run: 0, attempt: 1, claims: 1 });
      expect((await rowOf(due))?.lockedUntil?.getTime()).toBeGreaterThan(Date.now() + 20_000);
      // Held now: a second claim does not take it again.
      expect((await claimDueDeliveries(100, 30_000)).map((c) => c.deliveryId)).not.toContain(due);
      expect((await countQueuedDeliveries()).held).toBeGreaterThanOrEqual(2);
    } finally {
      await getEngine();
    }
  });

  it("a stop right after a start leaves no engine behind: the start's re-send hands off to its own engine", async ({
    receiver,
    engine: _,
  }) => {
    await stopEngine();
    try {
      // Events stored but never handed off (a server died first): the next start re-sends them.
      const setup = await processWithCallbacks(`restart ${Math.random()}`, [
        { url: `${receiver.url}/restart` },
      ]);
      for (let i = 0; i < 20; i++) await storeEvents(setup.workspaceId, [sampleEvent(setup.process.id)]);
      await getEngine();
      await stopEngine();
      // Had the re-send asked for the shared engine while this one stopped, it would have started another,
      // whose claim loop takes a due row within its 1 s poll.
      const id = await storedDelivery(receiver, "after stop", { dueAt: ago(5) });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await rowOf(id)).toMatchObject({
        status: "pending",
        lockedUntil: null,
        claims: 0,
        runAttempts: 0,
      });
    } finally {
      await getEngine();
    }
  });

  it("an attempt of an earlier run is logged but does not settle the run Redeliver queued", async ({
    db,
    receiver,
    engine: _,
  }) => {
    await stopEngine();
    try {
      const id = await storedDelivery(receiver, "runs", { dueAt: ago(5) });
      const [claimed] = (await claimDueDeliveries(100, 30_000)).filter((c) => c.deliveryId === id);
      expect(claimed?.run).toBe(0);
      // Redeliver while run 0's attempt is in flight.
      await queueNewRuns(db, [id]);
      await recordAttempt(id, 1, result(200), false, false, { run: 0, retryInMs: null });
      const row = await rowOf(id);
      expect(row).toMatchObject({ status: "pending", run: 1, runAttempts: 0, lockedUntil: null });
      expect(row?.dueAt).not.toBeNull();
      // The new run's attempt settles it.
      await recordAttempt(id, 1, result(500), false, false, { run: 1, retryInMs: 1000 });
      expect(await rowOf(id)).toMatchObject({ status: "retrying", runAttempts: 1, lockedUntil: null });
      const logged = await db
        .select({ n: deliveryAttempts.attemptNumber })
        .from(deliveryAttempts)
        .where(eq(deliveryAttempts.deliveryId, id));
      expect(logged).toHaveLength(2);
    } finally {
      await getEngine();
    }
  });
});
