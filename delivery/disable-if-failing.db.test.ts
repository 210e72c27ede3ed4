import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, vi } from "vitest";
import { auditLog } from "@/db/access-schema";
import { getDb } from "@/db/index";
import { disableFailingCallbacks } from "@/db/queries/callback-disable";
import { createDeliveriesForEvent, createTestDelivery } from "@/db/queries/deliveries";
import { storeEvents } from "@/db/queries/events";
import { leadUpdateCallbacks } from "@/db/schema";
import type { Receiver } from "@/e2e/receiver";
import { formatDateTime } from "@/lib/format-date";
import { logger } from "@/lib/logger";
import { hoursAgo, markSavedLongAgo, recordHistory } from "@/testing/attempt-history";
import { test as dbTest } from "@/testing/db-test";
import { processWithCallbacks, sampleEvent } from "@/testing/fixtures";
import { performDeliveryAttempt } from "./attempt";
import { checkIntervalMs, disableIfFailing } from "./auto-disable";

// Both pass through to the real functions: the spies count the checks and hand back the promise of the
// check an attempt started in the background, so a test can wait for it.
vi.mock("@/db/queries/callback-disable", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/db/queries/callback-disable")>();
  return { ...actual, disableFailingCallbacks: vi.fn(actual.disableFailingCallbacks) };
});
vi.mock("./auto-disable", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./auto-disable")>();
  return { ...actual, disableIfFailing: vi.fn(actual.disableIfFailing) };
});

const DAY_HOURS = 24;
// /ok answers 200, anything else 500.
const it = dbTest.extend(
  "receiverOptions",
  { scope: "file" },
  { respond: (w) => ({ status: w.path === "/ok" ? 200 : 500 }) },
);
it.beforeAll(() => {
  vi.stubEnv("ALLOW_PRIVATE_CALLBACK_URLS", "true");
});
// Every test starts with a period of 3 days, whatever the one before it set.
it.beforeEach(() => {
  vi.stubEnv("CALLBACK_DISABLE_AFTER", "3d");
});
it.afterEach(({ receiver }) => {
  receiver.clear();
  vi.clearAllMocks();
  vi.restoreAllMocks();
});
it.afterAll(() => {
  vi.unstubAllEnvs();
});

/** A process whose callbacks (one per path on the receiver) were last saved long ago. */
async function savedLongAgo(receiver: Receiver, name: string, paths: string[]) {
  const setup = await processWithCallbacks(
    name,
    paths.map((path) => ({ url: `${receiver.url}${path}` })),
  );
  await markSavedLongAgo(setup.callbackIds);
  return setup;
}

/** A new event's delivery to each of the process's callbacks, by callback id. */
async function deliveriesOf(setup: Awaited<ReturnType<typeof processWithCallbacks>>) {
  const stored = await storeEvents(setup.workspaceId, [sampleEvent(setup.process.id)]);
  const created = await createDeliveriesForEvent(stored.accepted[0]?.id as string);
  return new Map(created.map((d) => [d.callbackId, d.id]));
}

async function attempt(deliveryId: string | undefined, attemptNumber = 1) {
  return performDeliveryAttempt(deliveryId as string, { attemptNumber, final: false });
}

/** Waits for every check the attempts so far started in the background. */
async function backgroundChecks() {
  await Promise.all(vi.mocked(disableIfFailing).mock.results.map((r) => r.value));
}

/** The checks of one callback: disableFailingCallbacks narrowed to it, with the time each ran at. */
function checksOf(callbackId: string): Date[] {
  return vi
    .mocked(disableFailingCallbacks)
    .mock.calls.filter(([, , only]) => only?.callbackIds?.includes(callbackId))
    .map(([, now]) => now as Date);
}

async function callback(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(leadUpdateCallbacks).where(eq(leadUpdateCallbacks.id, id));
  return row;
}

describe("turning a failing callback off at its next failed attempt", () => {
  it("turns off a callback failing for longer than the period at once, without the periodic check", async ({
    db,
    receiver,
  }) => {
    const now = new Date();
    const setup = await savedLongAgo(receiver, "Prompt auto-disable", ["/fail"]);
    const id = setup.callbackIds[0] as string;
    const firstFailure = hoursAgo(4 * DAY_HOURS, now);
    await recordHistory(id, [
      { ok: true, at: hoursAgo(5 * DAY_HOURS, now) },
      { ok: false, at: firstFailure },
      { ok: false, at: hoursAgo(1, now) },
    ]);
    const warn = vi.spyOn(logger, "warn");
    const deliveryId = (await deliveriesOf(setup)).get(id);

    expect((await attempt(deliveryId)).status).toBe("retrying");
    expect(disableIfFailing).toHaveBeenCalledWith(id);
    await backgroundChecks();

    const reason = `Turned off automatically: every delivery failed for 3 days (since ${formatDateTime(firstFailure)}).`;
    expect(checksOf(id)).toHaveLength(1);
    expect(await callback(id)).toMatchObject({ enabled: false, disabledReason: reason });
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, id), eq(auditLog.action, "callback.disabled")));
    expect(audit).toMatchObject([
      { actorLabel: "leadhook (automatic)", details: { automatic: true, reason } },
    ]);
    // Logged as the periodic check logs it.
    expect(warn).toHaveBeenCalledWith(
      { callbacks: [id], period: "3 days" },
      "turned off 1 callback(s): every delivery failed for 3 days",
    );
    // Its next attempt is not sent.
    expect((await attempt(deliveryId, 2)).status).toBe("skipped");
    expect(receiver.received).toHaveLength(1);
  });

  it("leaves alone a callback that succeeded within the period and one failing for less than it", async ({
    receiver,
  }) => {
    const now = new Date();
    const setup = await savedLongAgo(receiver, "Prompt auto-disable, not due", ["/fail", "/fail", "/ok"]);
    const [recovered, young, healthy] = setup.callbackIds as [string, string, string];
    await recordHistory(recovered, [
      { ok: false, at: hoursAgo(4 * DAY_HOURS, now) },
      { ok: true, at: hoursAgo(DAY_HOURS, now) },
    ]);
    await recordHistory(young, [
      { ok: true, at: hoursAgo(4 * DAY_HOURS, now) },
      { ok: false, at: hoursAgo(2 * DAY_HOURS, now) },
    ]);
    // Failing for 4 days until this attempt, which succeeds: no check at all.
    await recordHistory(healthy, [
      { ok: false, at: hoursAgo(4 * DAY_HOURS, now) },
      { ok: false, at: hoursAgo(1, now) },
    ]);
    const deliveries = await deliveriesOf(setup);

    expect((await attempt(deliveries.get(recovered))).status).toBe("retrying");
    expect((await attempt(deliveries.get(young))).status).toBe("retrying");
    expect((await attempt(deliveries.get(healthy))).status).toBe("succeeded");
    await backgroundChecks();

    expect(checksOf(recovered)).toHaveLength(1);
    expect(checksOf(young)).toHaveLength(1);
    expect(checksOf(healthy)).toHaveLength(0);
    for (const id of [recovered, young, healthy]) {
      expect(await callback(id)).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null });
    }
  });

  it("checks a callback failing in a burst once at once and once more after min(period / 2, 30 s)", async ({
    receiver,
  }) => {
    expect(checkIntervalMs({ ms: 3 * DAY_HOURS * 3_600_000, label: "3 days" })).toBe(30_000);
    expect(checkIntervalMs({ ms: 20_000, label: "20 seconds" })).toBe(10_000);
    // 3 s between checks; the run (from this save) stays younger than the period meanwhile.
    vi.stubEnv("CALLBACK_DISABLE_AFTER", "6s");
    const setup = await processWithCallbacks("Prompt auto-disable, burst", [{ url: `${receiver.url}/fail` }]);
    const id = setup.callbackIds[0] as string;
    const deliveryIds: string[] = [];
    for (let n = 0; n < 10; n++) deliveryIds.push((await deliveriesOf(setup)).get(id) as string);

    const summaries = await Promise.all(deliveryIds.map((deliveryId) => attempt(deliveryId)));
    expect(summaries.map((s) => s.status)).toEqual(Array(10).fill("retrying"));
    expect(disableIfFailing).toHaveBeenCalledTimes(10);
    await backgroundChecks();

    // One check right away, and one for the failures it may have missed, an interval later.
    const checks = checksOf(id);
    expect(checks).toHaveLength(2);
    const [first, second] = checks.map((at) => at.getTime()) as [number, number];
    expect(second - first).toBeGreaterThanOrEqual(3000 - 20);
    expect((await callback(id))?.enabled).toBe(true);

    // Calls within the interval share the one check queued behind the last.
    const calls = [disableIfFailing(id), disableIfFailing(id), disableIfFailing(id)];
    expect(calls[1]).toBe(calls[0]);
    expect(calls[2]).toBe(calls[0]);
    await Promise.all(calls);
    expect(checksOf(id)).toHaveLength(3);
  });

  it("never checks after a failed Send test, even for a callback that is due", async ({ receiver }) => {
    const now = new Date();
    const setup = await savedLongAgo(receiver, "Prompt auto-disable, Send test", ["/fail"]);
    const id = setup.callbackIds[0] as string;
    await recordHistory(id, [
      { ok: false, at: hoursAgo(4 * DAY_HOURS, now) },
      { ok: false, at: hoursAgo(1, now) },
    ]);
    const testDelivery = await createTestDelivery(id, "call.completed", { data: {} });

    expect((await performDeliveryAttempt(testDelivery, { attemptNumber: 1, final: true })).status).toBe(
      "failed",
    );
    expect(disableIfFailing).not.toHaveBeenCalled();
    expect(checksOf(id)).toHaveLength(0);
    expect((await callback(id))?.enabled).toBe(true);

    // A real delivery's failure does.
    expect((await attempt((await deliveriesOf(setup)).get(id))).status).toBe("retrying");
    await backgroundChecks();
    expect((await callback(id))?.enabled).toBe(false);
  });

  it("never rejects: a check that fails is logged", async () => {
    const warn = vi.spyOn(logger, "warn");
    const id = randomUUID();
    vi.mocked(disableFailingCallbacks).mockRejectedValueOnce(new Error("database away"));
    await expect(disableIfFailing(id)).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ callbackId: id }),
      "could not check whether a failing callback must be turned off",
    );
  });
});
