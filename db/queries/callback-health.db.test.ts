import { describe, expect } from "vitest";
import { hoursAgo, recordHistory } from "@/testing/attempt-history";
import { it } from "@/testing/db-test";
import { processWithCallbacks } from "@/testing/fixtures";
import { getCallbackHealth, listAutoDisabledCallbacks } from "./callback-health";
import { hourlySuccess } from "./delivery-log";

const now = new Date();

describe("getCallbackHealth", () => {
  it("gives each callback's 24-hour rate and median, its last success and the failures since", async () => {
    const setup = await processWithCallbacks("Health", [
      { url: "https://hooks.example.com/mixed" },
      { url: "https://hooks.example.com/quiet" },
      { url: "https://hooks.example.com/never" },
    ]);
    const [mixed, quiet, never] = setup.callbackIds as [string, string, string];
    const lastSuccess = hoursAgo(2, now);
    await recordHistory(mixed, [
      // Older than 24 hours: only the last success and the run of failures may count these.
      { ok: true, at: hoursAgo(30, now), latencyMs: 5000 },
      { ok: false, at: hoursAgo(26, now), latencyMs: 5000 },
      { ok: true, at: hoursAgo(20, now), latencyMs: 100 },
      { ok: false, at: hoursAgo(10, now), latencyMs: 200 },
      { ok: true, at: lastSuccess, latencyMs: 300 },
      { ok: false, at: hoursAgo(1, now), latencyMs: 400 },
      { ok: false, at: hoursAgo(0.5, now), latencyMs: 500 },
    ]);
    await recordHistory(never, [
      { ok: false, at: hoursAgo(30, now), latencyMs: 10 },
      { ok: false, at: hoursAgo(3, now), latencyMs: 30 },
    ]);

    const health = await getCallbackHealth([setup.process.id], now);
    expect(health.map((h) => h.callbackId)).toEqual([mixed, quiet, never]);
    expect(health[0]).toEqual({
      callbackId: mixed,
      processId: setup.process.id,
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      deliveries: 5,
      succeeded: 2,
      attempts: 5,
      failedAttempts: 3,
      medianLatencyMs: 300,
      lastSuccessAt: lastSuccess.toISOString(),
      consecutiveFailures: 2,
    });
    expect(health[1]).toMatchObject({
      deliveries: 0,
      attempts: 0,
      succeeded: 0,
      medianLatencyMs: null,
      lastSuccessAt: null,
      consecutiveFailures: 0,
    });
    // Every attempt ever is one of the failures in a row; only the last 24 hours make the rate and median.
    expect(health[2]).toMatchObject({
      deliveries: 1,
      attempts: 1,
      succeeded: 0,
      medianLatencyMs: 30,
      lastSuccessAt: null,
      consecutiveFailures: 2,
    });
  });

  it("takes the mean of the middle two for an even count, and reads several processes, nothing of others", async () => {
    const a = await processWithCallbacks("Health A", [{}]);
    const b = await processWithCallbacks("Health B", [{}]);
    const other = await processWithCallbacks("Health other", [{}]);
    await recordHistory(a.callbackIds[0] as string, [
      { ok: true, at: hoursAgo(3, now), latencyMs: 100 },
      { ok: true, at: hoursAgo(2, now), latencyMs: 200 },
    ]);
    await recordHistory(other.callbackIds[0] as string, [{ ok: false, at: hoursAgo(1, now) }]);

    const health = await getCallbackHealth([a.process.id, b.process.id, "not-a-uuid"], now);
    expect(health).toHaveLength(2);
    expect(health.find((h) => h.processId === a.process.id)).toMatchObject({
      attempts: 2,
      succeeded: 2,
      medianLatencyMs: 150,
      consecutiveFailures: 0,
    });
    expect(await getCallbackHealth([], now)).toEqual([]);
  });

  it("counts deliveries: one delivered on a retry is a success, its failed attempts counted apart", async () => {
    const setup = await processWithCallbacks("Health retried", [{}]);
    const id = setup.callbackIds[0] as string;
    // Three deliveries, each failed once and went out on the retry; a fourth is still failing.
    await recordHistory(id, [
      ...["a", "b", "c"].flatMap((delivery, i) => [
        { ok: false, at: hoursAgo(5 - i, now), delivery },
        { ok: true, at: hoursAgo(4.9 - i, now), delivery },
      ]),
      { ok: false, at: hoursAgo(0.2, now), delivery: "d" },
    ]);
    const [health] = await getCallbackHealth([setup.process.id], now);
    expect(health).toMatchObject({ deliveries: 4, succeeded: 3, attempts: 7, failedAttempts: 4 });
    // The delivery list's refresh asks for this one callback alone.
    expect(await getCallbackHealth([setup.process.id], now, id)).toEqual([health]);
    const hourly = await hourlySuccess(id, now);
    expect(hourly.reduce((n, h) => n + h.total, 0)).toBe(4);
    expect(hourly.reduce((n, h) => n + h.succeeded, 0)).toBe(3);
  });

  it("lists no callback as turned off automatically until one is", async () => {
    const setup = await processWithCallbacks("Health off", [{ enabled: false }]);
    expect(await listAutoDisabledCallbacks(setup.workspaceId)).toEqual([]);
  });
});
