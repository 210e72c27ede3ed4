import { eq, inArray, sql } from "drizzle-orm";
import { describe, expect, vi } from "vitest";
import { getDb, type Transaction } from "@/db/index";
import { requeueDelivery } from "@/db/queries/deliveries";
import { storeEvents } from "@/db/queries/events";
import { listReplays } from "@/db/queries/replay-list";
import type { ReplayScope } from "@/db/queries/replay-targets";
import {
  cancelReplay,
  previewReplay,
  queueReplayBatch,
  type ReplayRun,
  replayCancelledReason,
  startReplay,
} from "@/db/queries/replays";
import { deliveries, deliveryAttempts, events, leadUpdateCallbacks, replays } from "@/db/schema";
import type { Receiver } from "@/e2e/receiver";
import type { LeadEvent } from "@/lib/validations/event";
import { webhookIdFor } from "@/lib/webhooks/payload";
import { test as dbTest } from "@/testing/db-test";
import { processWithCallbacks, sampleEvent } from "@/testing/fixtures";
import { performDeliveryAttempt } from "./attempt";
import type { DeliveryEngine } from "./engine";
import { getEngine, handOff, stopEngine } from "./runtime";

// Replays on the embedded engine in this process, against a receiver on 127.0.0.1 that fails while
// `failing` is set: deliveries fail first, then a replay sends them again.
let failing = true;
const auditIn = (workspaceId: string) => ({
  context: { workspaceId, actorId: null, actorLabel: "test", ipAddress: null, userAgent: null },
  targetLabel: "test replay",
});
const noQueue = async () => {};

const it = dbTest
  .extend("receiverOptions", { scope: "file" }, { respond: () => ({ status: failing ? 500 : 200 }) })
  /** The embedded engine on the file's database, without retries: a delivery that fails once has failed. */
  .extend("engine", { scope: "file" }, async ({ db: _ }, { onCleanup }) => {
    vi.stubEnv("ALLOW_PRIVATE_CALLBACK_URLS", "true");
    vi.stubEnv("LEADHOOK_ENGINE", "embedded");
    vi.stubEnv("DELIVERY_RETRY_SCHEDULE", "none");
    onCleanup(async () => {
      await stopEngine();
      vi.unstubAllEnvs();
    });
    return getEngine();
  });
it.afterEach(({ receiver }) => {
  failing = true;
  receiver.clear();
});

/** A process with `callbacks` callbacks at /<name>/<n>, and its events stored, handed off and settled. */
async function world(
  receiver: Receiver,
  name: string,
  eventsFor: (processId: string) => LeadEvent[],
  callbacks = 1,
) {
  const setup = await processWithCallbacks(
    `${name} ${Math.random()}`,
    Array.from({ length: callbacks }, (_, n) => ({ url: `${receiver.url}/${name}/${n}` })),
  );
  const ids = await store(setup.workspaceId, eventsFor(setup.process.id));
  return { ...setup, eventIds: ids };
}

async function store(workspaceId: string, batch: LeadEvent[]) {
  const stored = await storeEvents(workspaceId, batch);
  const ids = stored.accepted.map((a) => a.id);
  await handOff(ids, { force: true });
  await settled(ids);
  return ids;
}

async function deliveriesOf(eventIds: string[]) {
  const db = await getDb();
  return db.select().from(deliveries).where(inArray(deliveries.eventId, eventIds));
}

/** Waits until no delivery of these events is pending or retrying. */
async function settled(eventIds: string[]) {
  await expect
    .poll(async () =>
      (await deliveriesOf(eventIds)).filter((d) => ["pending", "retrying"].includes(d.status)),
    )
    .toEqual([]);
}

function scope(processId: string, overrides: Partial<ReplayScope> = {}): ReplayScope {
  return {
    processId,
    callbackId: null,
    since: new Date(Date.now() - 60 * 60 * 1000),
    until: new Date(),
    eventTypes: null,
    leadStatus: null,
    disposition: null,
    includeSucceeded: false,
    ...overrides,
  };
}

/** Starts a replay of `s` in the workspace, handing it to `queue` (the engine by default). */
function replay(
  engine: DeliveryEngine,
  workspaceId: string,
  s: ReplayScope,
  queue: (tx: Transaction, id: string) => Promise<void> = (tx, id) => engine.startReplay(tx, id),
) {
  return startReplay(workspaceId, s, "Test Person", queue, auditIn(workspaceId));
}

async function finished(processId: string, replayId: string) {
  await expect
    .poll(async () => (await listReplays(processId)).find((r) => r.id === replayId)?.status, {
      timeout: 15_000,
    })
    .toBe("finished");
  return (await listReplays(processId)).find((r) => r.id === replayId);
}

describe("replaying failed deliveries", () => {
  it("sends a callback's failed deliveries since a time again, same webhook-id, and nothing else", async ({
    db,
    receiver,
    engine,
  }) => {
    const w = await world(receiver, "since", (p) => [sampleEvent(p), sampleEvent(p), sampleEvent(p)]);
    const before = await deliveriesOf(w.eventIds);
    expect(before.map((d) => d.status)).toEqual(["failed", "failed", "failed"]);
    // The first event came in two hours ago: before the replay's From.
    await db
      .update(events)
      .set({ receivedAt: sql`now() - interval '2 hours'` })
      .where(eq(events.id, w.eventIds[0] as string));
    failing = false;
    receiver.clear();

    const started = await replay(
      engine,
      w.workspaceId,
      scope(w.process.id, { callbackId: w.callbackIds[0] }),
    );
    expect(started.total).toBe(2);
    const done = await finished(w.process.id, started.id);
    expect(done).toMatchObject({ total: 2, queued: 2, succeeded: 2, failed: 0, inFlight: 0 });

    const after = new Map((await deliveriesOf(w.eventIds)).map((d) => [d.eventId, d]));
    expect(after.get(w.eventIds[0] as string)).toMatchObject({ status: "failed", attemptCount: 1 });
    for (const id of w.eventIds.slice(1)) {
      const delivery = after.get(id);
      expect(delivery).toMatchObject({ status: "succeeded", attemptCount: 2, replayId: started.id });
      const sent = receiver.received.filter(
        (r) => r.headers["webhook-id"] === webhookIdFor(delivery?.id ?? ""),
      );
      expect(sent).toHaveLength(1);
    }
    expect(receiver.received).toHaveLength(2);
  });

  it("filters a process-wide replay by event type, lead status and disposition, failed or all", async ({
    receiver,
    engine,
  }) => {
    const w = await world(
      receiver,
      "filters",
      (p) => [
        sampleEvent(p, { lead: { id: "l1", status: "Interested" } }),
        sampleEvent(p, { type: "lead.status_changed", lead: { id: "l2", status: "No Answer" } }),
        sampleEvent(p, {
          type: "lead.disposition_marked",
          lead: { id: "l3", status: "Interested", disposition: "Sale" },
        }),
      ],
      2,
    );
    const s = (o: Partial<ReplayScope>) => previewReplay(scope(w.process.id, o));
    expect(await s({})).toEqual({ again: 6, missed: 0 });
    expect(await s({ eventTypes: ["lead.status_changed", "call.completed"] })).toEqual({
      again: 4,
      missed: 0,
    });
    expect(await s({ leadStatus: "Interested" })).toEqual({ again: 4, missed: 0 });
    expect(await s({ leadStatus: "Interested", disposition: "Sale" })).toEqual({ again: 2, missed: 0 });
    expect(await s({ callbackId: w.callbackIds[1] ?? null, leadStatus: "No Answer" })).toEqual({
      again: 1,
      missed: 0,
    });
    expect(await s({ until: new Date(Date.now() - 60 * 60 * 1000), since: new Date(0) })).toEqual({
      again: 0,
      missed: 0,
    });

    // The lead l3's deliveries succeed when sent again; "failed" then leaves them out, "all" does not.
    failing = false;
    const started = await replay(engine, w.workspaceId, scope(w.process.id, { disposition: "Sale" }));
    expect(started.total).toBe(2);
    await finished(w.process.id, started.id);
    expect(await s({ disposition: "Sale" })).toEqual({ again: 0, missed: 0 });
    expect(await s({ disposition: "Sale", includeSucceeded: true })).toEqual({ again: 2, missed: 0 });
    expect(await s({})).toEqual({ again: 4, missed: 0 });
  });

  it("sends the events a callback missed while it was off, once, and none from before it existed", async ({
    db,
    receiver,
    engine,
  }) => {
    const w = await world(receiver, "missed", (p) => [sampleEvent(p)]);
    const callbackId = w.callbackIds[0] as string;
    await db
      .update(leadUpdateCallbacks)
      .set({ enabled: false })
      .where(eq(leadUpdateCallbacks.id, callbackId));
    const [offEvent] = await store(w.workspaceId, [sampleEvent(w.process.id)]);
    expect(await deliveriesOf([offEvent as string])).toEqual([]);
    await db.update(leadUpdateCallbacks).set({ enabled: true }).where(eq(leadUpdateCallbacks.id, callbackId));
    failing = false;

    expect(await previewReplay(scope(w.process.id))).toEqual({ again: 1, missed: 1 });
    const started = await replay(engine, w.workspaceId, scope(w.process.id, { callbackId }));
    await finished(w.process.id, started.id);
    const [created] = await deliveriesOf([offEvent as string]);
    expect(created).toMatchObject({ status: "succeeded", replayId: started.id, attemptCount: 1 });
    expect(
      receiver.received.filter((r) => r.headers["webhook-id"] === webhookIdFor(created?.id ?? "")),
    ).toHaveLength(1);
    expect(await previewReplay(scope(w.process.id))).toEqual({ again: 0, missed: 0 });

    // A callback added after the events: nothing of theirs is "missed".
    await db
      .update(leadUpdateCallbacks)
      .set({ createdAt: new Date() })
      .where(eq(leadUpdateCallbacks.id, callbackId));
    await db.delete(deliveries).where(eq(deliveries.callbackId, callbackId));
    expect(await previewReplay(scope(w.process.id))).toEqual({ again: 0, missed: 0 });
  });

  it("cancelling queues nothing more, and what it queued is not sent", async ({ db, receiver, engine }) => {
    const w = await world(receiver, "cancel", (p) => [sampleEvent(p), sampleEvent(p)]);
    failing = false;
    receiver.clear();
    const started = await replay(engine, w.workspaceId, scope(w.process.id), noQueue);
    const queued: ReplayRun[] = [];
    const record = async (_tx: unknown, runs: ReplayRun[]) => void queued.push(...runs);
    expect(await queueReplayBatch(started.id, record, 1)).toBe("more");
    expect(queued).toHaveLength(1);
    expect(await cancelReplay(w.process.id, started.id, auditIn(w.workspaceId))).toBe(true);
    expect(await cancelReplay(w.process.id, started.id, auditIn(w.workspaceId))).toBe(false);
    expect(await queueReplayBatch(started.id, record, 1)).toBe("stopped");
    expect(queued).toHaveLength(1);

    const deliveryId = queued[0]?.deliveryId as string;
    const [marked] = (await deliveriesOf(w.eventIds)).filter((d) => d.id === deliveryId);
    expect(marked).toMatchObject({ status: "failed", lastError: replayCancelledReason });
    const summary = await performDeliveryAttempt(deliveryId, { attemptNumber: 1, final: false });
    expect(summary).toMatchObject({ status: "skipped", errorMessage: replayCancelledReason });
    expect(receiver.received).toHaveLength(0);
    const replayRow = (await listReplays(w.process.id)).find((r) => r.id === started.id);
    expect(replayRow).toMatchObject({ status: "cancelled", queued: 1, failed: 1, finishedAt: null });
    // It ends once attempts in flight at the cancel have had the delivery timeout to finish.
    await db
      .update(replays)
      .set({ cancelledAt: sql`now() - interval '1 minute'` })
      .where(eq(replays.id, started.id));
    const ended = (await listReplays(w.process.id)).find((r) => r.id === started.id);
    expect(ended).toMatchObject({ status: "cancelled", failed: 1, succeeded: 0 });
    expect(ended?.finishedAt).toBeInstanceOf(Date);

    // An admin's Redeliver of that delivery is its own: the cancelled replay does not stop it.
    expect(
      await requeueDelivery(marked?.callbackId as string, deliveryId, (tx, d) => engine.redeliver(tx, d)),
    ).toBe(true);
    await receiver.waitFor((r) => r.headers["webhook-id"] === webhookIdFor(deliveryId));
  });

  it("lets one replay of a process queue at a time, and refuses one that matches nothing", async ({
    db,
    receiver,
    engine,
  }) => {
    const w = await world(receiver, "one", (p) => [sampleEvent(p)]);
    const first = await replay(engine, w.workspaceId, scope(w.process.id), noQueue);
    await expect(replay(engine, w.workspaceId, scope(w.process.id), noQueue)).rejects.toMatchObject({
      code: "conflict",
    });
    await cancelReplay(w.process.id, first.id, auditIn(w.workspaceId));
    await expect(
      replay(engine, w.workspaceId, scope(w.process.id, { leadStatus: "Nobody" }), noQueue),
    ).rejects.toMatchObject({ code: "invalid_request" });
    expect(await db.select().from(replays).where(eq(replays.processId, w.process.id))).toHaveLength(1);
  });

  it("stores nothing when the engine refuses the replay, and repeats nothing when a batch is retried", async ({
    db,
    receiver,
    engine,
  }) => {
    const w = await world(receiver, "refused", (p) => [sampleEvent(p)]);
    const refuse = async () => {
      throw new Error("queue down");
    };
    await expect(replay(engine, w.workspaceId, scope(w.process.id), refuse)).rejects.toThrow("queue down");
    expect(await db.select().from(replays).where(eq(replays.processId, w.process.id))).toEqual([]);

    const started = await replay(engine, w.workspaceId, scope(w.process.id), noQueue);
    await expect(queueReplayBatch(started.id, refuse)).rejects.toThrow("queue down");
    const [untouched] = await deliveriesOf(w.eventIds);
    expect(untouched).toMatchObject({ status: "failed", replayId: null });
    const queued: ReplayRun[] = [];
    const record = async (_tx: unknown, runs: ReplayRun[]) => void queued.push(...runs);
    expect(await queueReplayBatch(started.id, record)).toBe("more");
    expect(await queueReplayBatch(started.id, record)).toBe("done");
    expect(queued.map((r) => r.deliveryId)).toEqual([untouched?.id]);
    const [row] = await db.select().from(replays).where(eq(replays.id, started.id));
    expect(row).toMatchObject({ status: "delivering", queued: 1, total: 1 });
  });

  it("records a delivery skipped because its callback was turned off as failed, with why", async ({
    db,
    receiver,
    engine: _,
  }) => {
    const w = await world(receiver, "off", (p) => [sampleEvent(p)]);
    const [delivery] = await deliveriesOf(w.eventIds);
    await db
      .update(deliveries)
      .set({ status: "retrying" })
      .where(eq(deliveries.id, delivery?.id as string));
    await db
      .update(leadUpdateCallbacks)
      .set({ enabled: false })
      .where(eq(leadUpdateCallbacks.id, w.callbackIds[0] as string));
    const summary = await performDeliveryAttempt(delivery?.id as string, { attemptNumber: 2, final: false });
    expect(summary.status).toBe("skipped");
    const [after] = await deliveriesOf(w.eventIds);
    expect(after).toMatchObject({
      status: "failed",
      lastError: "Not sent: the callback was turned off before this attempt.",
    });
    const attempts = await db
      .select()
      .from(deliveryAttempts)
      .where(eq(deliveryAttempts.deliveryId, delivery?.id as string));
    expect(attempts).toHaveLength(1);
  });
});
