import { eq, sql } from "drizzle-orm";
import { describe, expect } from "vitest";
import { getDb } from "@/db/index";
import { requeueDelivery } from "@/db/queries/deliveries";
import { storeEvents } from "@/db/queries/events";
import { getSigningSecret } from "@/db/queries/signing-secrets";
import { deliveries, deliveryAttempts, events } from "@/db/schema";
import type { Receiver } from "@/e2e/receiver";
import { withEmbeddedEngine } from "@/testing/db-test";
import { processWithCallbacks, sampleEvent } from "@/testing/fixtures";

import { handOff } from "./runtime";

// The embedded engine in this process, on the test's own database (PGlite or Postgres).
const it = withEmbeddedEngine({
  retrySchedule: "200ms,400ms,800ms",
  // Shorter than pg-boss keeps jobs by default (7 days settled, 14 unstarted).
  env: { RETENTION_DAYS: "2" },
});

async function storedEvent(receiver: Receiver, name: string, callbacks = 1) {
  const setup = await processWithCallbacks(
    `${name} ${Math.random()}`,
    Array.from({ length: callbacks }, (_, n) => ({ url: `${receiver.url}/${name}/${n}` })),
  );
  const stored = await storeEvents(setup.workspaceId, [sampleEvent(setup.process.id)]);
  const eventId = stored.accepted[0]?.id as string;
  return { ...setup, eventId };
}

async function deliveriesOf(eventId: string) {
  const db = await getDb();
  return db.select().from(deliveries).where(eq(deliveries.eventId, eventId));
}

async function attemptsOf(deliveryId: string) {
  const db = await getDb();
  return db
    .select()
    .from(deliveryAttempts)
    .where(eq(deliveryAttempts.deliveryId, deliveryId))
    .orderBy(deliveryAttempts.attemptNumber);
}

describe("the embedded engine", () => {
  it("is the engine when nothing else is configured", ({ engine }) => {
    expect(engine.name).toBe("embedded");
  });

  it("keeps pg-boss's jobs no longer than RETENTION_DAYS, and schedules the purge", async ({
    db,
    engine: _,
  }) => {
    const rowsOf = (result: unknown) =>
      ("rows" in (result as object) ? (result as { rows: unknown[] }).rows : result) as Record<
        string,
        unknown
      >[];
    const queues = rowsOf(
      await db.execute(sql`select name, deletion_seconds, retention_seconds from pgboss.queue order by name`),
    );
    expect(queues.length).toBeGreaterThan(0);
    for (const queue of queues) {
      expect(queue).toMatchObject({ deletion_seconds: 172_800, retention_seconds: 172_800 });
    }
    const schedules = rowsOf(
      await db.execute(sql`select name, cron from pgboss.schedule where name = 'leadhook-purge-expired'`),
    );
    expect(schedules).toEqual([{ name: "leadhook-purge-expired", cron: "*/5 * * * *" }]);
  });

  it("delivers a handed-off event to every callback, signed, and marks it handed off", async ({
    db,
    receiver,
    engine: _,
  }) => {
    const { eventId, workspaceId, process, callbackIds } = await storedEvent(receiver, "fan", 2);
    expect(await handOff([eventId])).toEqual({ handedOff: 1, pending: 0 });
    const first = await receiver.waitFor((w) => w.path === "/fan/0");
    const second = await receiver.waitFor((w) => w.path === "/fan/1");
    receiver.setSecret(await getSigningSecret(workspaceId, process.id, callbackIds[0] as string));
    expect(first.headers["webhook-id"]).not.toBe(second.headers["webhook-id"]);
    await expect
      .poll(async () => (await deliveriesOf(eventId)).map((d) => d.status))
      .toEqual(["succeeded", "succeeded"]);
    const [event] = await db.select().from(events).where(eq(events.id, eventId));
    expect(event?.handedOffAt).toBeInstanceOf(Date);
  });

  it("queues an event handed off twice once", async ({ receiver, engine: _ }) => {
    const { eventId } = await storedEvent(receiver, "twice");
    await handOff([eventId]);
    await handOff([eventId]);
    await receiver.waitFor((w) => w.path === "/twice/0");
    await expect.poll(async () => (await deliveriesOf(eventId))[0]?.status).toBe("succeeded");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received.filter((w) => w.path === "/twice/0")).toHaveLength(1);
  });

  it("retries 500 and 503 with backoff and succeeds on attempt 3 with one webhook-id", async ({
    receiver,
    engine: _,
  }) => {
    let n = 0;
    receiver.respondWith(() => ({ status: [500, 503, 200][n++] ?? 200 }));
    const { eventId } = await storedEvent(receiver, "retry");
    await handOff([eventId]);
    await expect
      .poll(async () => (await deliveriesOf(eventId))[0]?.status, { timeout: 10_000 })
      .toBe("succeeded");
    const [delivery] = await deliveriesOf(eventId);
    const attempts = await attemptsOf(delivery?.id as string);
    expect(attempts.map((a) => [a.attemptNumber, a.responseStatus])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
    const hooks = receiver.received.filter((w) => w.path === "/retry/0");
    expect(new Set(hooks.map((w) => w.headers["webhook-id"])).size).toBe(1);
    // Each retry waited what the schedule says: 200 ms, then 400 ms (±10% jitter).
    const gap = (i: number) =>
      (hooks[i + 1]?.receivedAt.getTime() ?? 0) - (hooks[i]?.receivedAt.getTime() ?? 0);
    expect(gap(0)).toBeGreaterThanOrEqual(150);
    expect(gap(1)).toBeGreaterThanOrEqual(300);
  });

  it("stops after the final attempt and marks the delivery failed", async ({ receiver, engine: _ }) => {
    receiver.respondWith(() => ({ status: 500 }));
    const { eventId } = await storedEvent(receiver, "final");
    await handOff([eventId]);
    await expect
      .poll(async () => (await deliveriesOf(eventId))[0]?.status, { timeout: 15_000 })
      .toBe("failed");
    const [delivery] = await deliveriesOf(eventId);
    expect((await attemptsOf(delivery?.id as string)).map((a) => a.attemptNumber)).toEqual([1, 2, 3, 4]);
  });

  it("redelivers as a new run with the same webhook-id, queued with the row", async ({
    receiver,
    engine,
  }) => {
    const { eventId } = await storedEvent(receiver, "again");
    await handOff([eventId]);
    const first = await receiver.waitFor((w) => w.path === "/again/0");
    await expect.poll(async () => (await deliveriesOf(eventId))[0]?.status).toBe("succeeded");
    const [delivery] = await deliveriesOf(eventId);
    if (!delivery) throw new Error("no delivery");
    receiver.clear();
    expect(await requeueDelivery(delivery.callbackId, delivery.id, (tx, d) => engine.redeliver(tx, d))).toBe(
      true,
    );
    const again = await receiver.waitFor((w) => w.path === "/again/0");
    expect(again.headers["webhook-id"]).toBe(first.headers["webhook-id"]);
    await expect.poll(async () => (await attemptsOf(delivery.id)).length).toBe(2);
  });

  it("leaves the row as it was when the queue refuses the redelivery", async ({ receiver, engine }) => {
    const { eventId } = await storedEvent(receiver, "refused");
    await handOff([eventId]);
    await expect.poll(async () => (await deliveriesOf(eventId))[0]?.status).toBe("succeeded");
    const [delivery] = await deliveriesOf(eventId);
    if (!delivery) throw new Error("no delivery");
    await expect(
      requeueDelivery(delivery.callbackId, delivery.id, async (tx, d) => {
        await engine.redeliver(tx, d);
        throw new Error("queue down");
      }),
    ).rejects.toThrow("queue down");
    expect((await deliveriesOf(eventId))[0]?.status).toBe("succeeded");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received.filter((w) => w.path === "/refused/0")).toHaveLength(1);
  });
});
