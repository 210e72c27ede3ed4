import { and, eq } from "drizzle-orm";
import { describe, expect } from "vitest";
import { auditLog } from "@/db/access-schema";
import { getDb } from "@/db/index";
import { disableFailingCallbacks } from "@/db/queries/callback-disable";
import { listAutoDisabledCallbacks } from "@/db/queries/callback-health";
import { getProcessSettings, saveProcessSettings } from "@/db/queries/callbacks";
import { createTestDelivery } from "@/db/queries/deliveries";
import { recordAttempt } from "@/db/queries/delivery-attempts";
import { leadUpdateCallbacks, processes } from "@/db/schema";
import { formatDateTime } from "@/lib/format-date";
import { hoursAgo, markSavedLongAgo, recordHistory } from "@/testing/attempt-history";
import { it } from "@/testing/db-test";
import { processWithCallbacks } from "@/testing/fixtures";
import { disableFailingCallbacksNow } from "./auto-disable";

const DAY_HOURS = 24;
const threeDays = { ms: 3 * DAY_HOURS * 3_600_000, label: "3 days" };

/** Callbacks whose last save was long ago, so their whole history counts. */
async function savedLongAgo(name: string, count: number) {
  const setup = await processWithCallbacks(
    name,
    Array.from({ length: count }, (_, i) => ({ url: `https://hooks.example.com/${i}` })),
  );
  await markSavedLongAgo(setup.callbackIds);
  return setup;
}

async function callback(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(leadUpdateCallbacks).where(eq(leadUpdateCallbacks.id, id));
  return row;
}

async function auditEntries(callbackId: string) {
  const db = await getDb();
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetId, callbackId), eq(auditLog.action, "callback.disabled")));
}

describe("turning off callbacks whose every delivery failed for CALLBACK_DISABLE_AFTER", () => {
  it("turns off only the callback failing for longer than the period, once, with its reason", async ({
    db,
  }) => {
    const now = new Date();
    const setup = await savedLongAgo("Auto-disable", 5);
    const [failing, recovered, young, stale, healthy] = setup.callbackIds as [
      string,
      string,
      string,
      string,
      string,
    ];
    const firstFailure = hoursAgo(4 * DAY_HOURS, now);
    // Failing since 4 days ago, still attempted and failing now.
    await recordHistory(failing, [
      { ok: true, at: hoursAgo(5 * DAY_HOURS, now) },
      { ok: false, at: firstFailure },
      { ok: false, at: hoursAgo(2 * DAY_HOURS, now) },
      { ok: false, at: hoursAgo(1, now) },
    ]);
    // A success within the period.
    await recordHistory(recovered, [
      { ok: false, at: hoursAgo(4 * DAY_HOURS, now) },
      { ok: true, at: hoursAgo(DAY_HOURS, now) },
      { ok: false, at: hoursAgo(1, now) },
    ]);
    // Failing, but for less than the period.
    await recordHistory(young, [
      { ok: true, at: hoursAgo(4 * DAY_HOURS, now) },
      { ok: false, at: hoursAgo(2 * DAY_HOURS, now) },
      { ok: false, at: hoursAgo(1, now) },
    ]);
    // Failed long ago, nothing tried since: no sign that it is failing now.
    await recordHistory(stale, [{ ok: false, at: hoursAgo(5 * DAY_HOURS, now) }]);
    await recordHistory(healthy, [{ ok: true, at: hoursAgo(1, now) }]);
    const version = async () =>
      (await db.select().from(processes).where(eq(processes.id, setup.process.id)))[0]?.version;
    const versionBefore = await version();

    const disabled = await disableFailingCallbacks(threeDays, now);
    const reason = `Turned off automatically: every delivery failed for 3 days (since ${formatDateTime(firstFailure)}).`;
    expect(disabled).toEqual([{ callbackId: failing, processId: setup.process.id, reason }]);
    expect(await callback(failing)).toMatchObject({
      enabled: false,
      disabledReason: reason,
      disabledAt: now,
    });
    for (const id of [recovered, young, stale, healthy]) {
      expect(await callback(id)).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null });
    }
    // A form opened before this must not silently switch it back on.
    expect(await version()).toBe((versionBefore ?? 0) + 1);
    const entries = await auditEntries(failing);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      workspaceId: setup.workspaceId,
      actorId: null,
      actorLabel: "leadhook (automatic)",
      targetType: "callback",
      targetLabel: "Callback 1 (https://hooks.example.com/0)",
      details: { automatic: true, reason },
    });
    expect(await listAutoDisabledCallbacks(setup.workspaceId)).toContainEqual({
      processId: setup.process.id,
      processName: "Auto-disable",
      position: 0,
      name: null,
      reason,
    });

    // Again, a minute later: nothing changes.
    expect(await disableFailingCallbacks(threeDays, new Date(now.getTime() + 60_000))).toEqual([]);
    expect(await callback(failing)).toMatchObject({ disabledAt: now, disabledReason: reason });
    expect(await auditEntries(failing)).toHaveLength(1);
    expect(await version()).toBe((versionBefore ?? 0) + 1);
  });

  it("reads the period from CALLBACK_DISABLE_AFTER and leaves callbacks an admin turned off alone", async ({
    db,
  }) => {
    const now = new Date();
    const setup = await savedLongAgo("Auto-disable env", 2);
    const [failing, off] = setup.callbackIds as [string, string];
    await db.update(leadUpdateCallbacks).set({ enabled: false }).where(eq(leadUpdateCallbacks.id, off));
    for (const id of [failing, off]) {
      await recordHistory(id, [
        { ok: false, at: hoursAgo(3, now) },
        { ok: false, at: hoursAgo(0.5, now) },
      ]);
    }
    process.env.CALLBACK_DISABLE_AFTER = "2h";
    try {
      const { disabled } = await disableFailingCallbacksNow(now);
      expect(disabled).toContain(failing);
      expect(disabled).not.toContain(off);
    } finally {
      delete process.env.CALLBACK_DISABLE_AFTER;
    }
    expect((await callback(failing))?.disabledReason).toMatch(/every delivery failed for 2 hours \(since/);
    expect(await callback(off)).toMatchObject({ enabled: false, disabledAt: null, disabledReason: null });
  });

  it("gives a callback switched back on a whole period again, and clears its reason and time", async () => {
    const now = new Date();
    const setup = await savedLongAgo("Auto-disable re-enabled", 1);
    const id = setup.callbackIds[0] as string;
    await recordHistory(id, [
      { ok: false, at: hoursAgo(4 * DAY_HOURS, now) },
      { ok: false, at: hoursAgo(1, now) },
    ]);
    expect(await disableFailingCallbacks(threeDays, now)).toHaveLength(1);

    const settings = await getProcessSettings(setup.workspaceId, setup.process.id);
    if (!settings) throw new Error("process vanished");
    const { values } = settings;
    await saveProcessSettings(setup.workspaceId, setup.process.id, {
      ...values,
      callbacks: values.callbacks.map((cb) => ({ ...cb, enabled: true })),
    } as never);
    expect(await callback(id)).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null });
    const stillOff = await listAutoDisabledCallbacks(setup.workspaceId);
    expect(stillOff.filter((cb) => cb.processId === setup.process.id)).toEqual([]);

    // Its failures from before the save no longer count; new ones start a new period.
    await recordHistory(id, [{ ok: false, at: new Date() }]);
    expect(await disableFailingCallbacks(threeDays, new Date(Date.now() + 60_000))).toEqual([]);
    expect((await callback(id))?.enabled).toBe(true);
  });

  it("records when a 410 Gone turned a callback off, with an audit entry", async () => {
    const setup = await processWithCallbacks("Gone", [{}]);
    const id = setup.callbackIds[0] as string;
    const deliveryId = await createTestDelivery(id, "call.completed", { data: {} });
    const before = Date.now();
    await recordAttempt(
      deliveryId,
      1,
      {
        outcome: "gone",
        responseStatus: 410,
        latencyMs: 12,
        errorClass: null,
        errorMessage: "HTTP 410",
        responseExcerpt: null,
        retryAfterMs: null,
        requestHeaders: {},
        startedAt: new Date(),
      },
      false,
    );
    const row = await callback(id);
    expect(row).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/410 Gone\.$/) });
    expect(row?.disabledAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await auditEntries(id)).toMatchObject([
      { actorLabel: "leadhook (automatic)", details: { automatic: true, reason: row?.disabledReason } },
    ]);
  });
});
