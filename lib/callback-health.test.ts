import { describe, expect, it } from "vitest";
import {
  autoDisabledGroups,
  type CallbackHealth,
  callbackState,
  failingReason,
  goneReason,
  healthLine,
  processHealth,
} from "./callback-health";

const now = new Date("2026-11-24T12:00:00Z");
const minutesAgo = (n: number) => new Date(now.getTime() - n * 60_000).toISOString();
const healthy: CallbackHealth = {
  callbackId: "cb",
  processId: "p",
  enabled: true,
  disabledReason: null,
  disabledAt: null,
  deliveries: 50,
  succeeded: 49,
  attempts: 50,
  failedAttempts: 1,
  medianLatencyMs: 120.4,
  lastSuccessAt: minutesAgo(1),
  consecutiveFailures: 0,
};

describe("a callback's state", () => {
  it("is ok while its last attempt succeeded", () => {
    expect(callbackState(healthy, now)).toBe("ok");
    expect(callbackState({ ...healthy, lastSuccessAt: null }, now)).toBe("ok");
  });

  it("is ok after a failure within an hour of a success, failing once an hour passes without one", () => {
    expect(callbackState({ ...healthy, consecutiveFailures: 3, lastSuccessAt: minutesAgo(59) }, now)).toBe(
      "ok",
    );
    expect(callbackState({ ...healthy, consecutiveFailures: 3, lastSuccessAt: minutesAgo(60) }, now)).toBe(
      "failing",
    );
    expect(callbackState({ ...healthy, consecutiveFailures: 1, lastSuccessAt: null }, now)).toBe("failing");
  });

  it("is disabled when leadhook turned it off, off when an admin did", () => {
    const off = { ...healthy, enabled: false, consecutiveFailures: 9, lastSuccessAt: null };
    expect(callbackState({ ...off, disabledAt: minutesAgo(5) }, now)).toBe("disabled");
    expect(callbackState(off, now)).toBe("off");
  });
});

describe("a process's health", () => {
  const failing = { ...healthy, consecutiveFailures: 2, lastSuccessAt: minutesAgo(120) };
  const disabled = { ...healthy, enabled: false, disabledAt: minutesAgo(5) };
  const switchedOff = { ...failing, enabled: false };

  it("is Disabled over Failing over OK", () => {
    expect(processHealth([healthy, failing, disabled], now)).toBe("Disabled");
    expect(processHealth([healthy, failing], now)).toBe("Failing");
    expect(processHealth([healthy, healthy], now)).toBe("OK");
    expect(processHealth([], now)).toBe("OK");
  });

  it("ignores callbacks an admin switched off", () => {
    expect(processHealth([healthy, switchedOff], now)).toBe("OK");
  });
});

describe("the health line", () => {
  it("gives the rate of deliveries, their attempts, the median, last success and the failures in a row", () => {
    expect(healthLine({ ...healthy, consecutiveFailures: 3, lastSuccessAt: "2026-11-24T12:44:00Z" })).toBe(
      "24 h: 98% of 50 deliveries succeeded (50 attempts, 1 failed) · median 120 ms · last success Nov 24, 2026, 12:44 PM UTC · 3 failures in a row",
    );
    expect(healthLine({ ...healthy, succeeded: 50, failedAttempts: 0 })).toMatch(
      /^24 h: 100% of 50 deliveries succeeded · median 120 ms · last success [^·]+$/,
    );
  });

  it("counts a delivery that succeeded on a retry as a success, its failed attempts apart", () => {
    // Every delivery went out on its second attempt: all delivered, half the attempts failed.
    const retried = { ...healthy, deliveries: 12, succeeded: 12, attempts: 24, failedAttempts: 12 };
    expect(healthLine(retried)).toMatch(
      /^24 h: 100% of 12 deliveries succeeded \(24 attempts, 12 failed\) · /,
    );
  });

  it("never rounds a partial rate to 100% or 0%", () => {
    expect(healthLine({ ...healthy, deliveries: 1000, succeeded: 999 })).toMatch(
      /^24 h: 99% of 1,000 deliveries/,
    );
    expect(healthLine({ ...healthy, deliveries: 1000, succeeded: 1 })).toMatch(
      /^24 h: 1% of 1,000 deliveries/,
    );
    expect(healthLine({ ...healthy, deliveries: 1, succeeded: 1, attempts: 1, failedAttempts: 0 })).toMatch(
      /^24 h: 100% of 1 delivery succeeded · /,
    );
  });

  it("says when nothing was sent or nothing ever succeeded", () => {
    const quiet = {
      ...healthy,
      deliveries: 0,
      succeeded: 0,
      attempts: 0,
      failedAttempts: 0,
      medianLatencyMs: null,
    };
    expect(healthLine(quiet)).toMatch(/^24 h: no deliveries · last success/);
    expect(
      healthLine({
        ...healthy,
        deliveries: 1,
        succeeded: 0,
        attempts: 1,
        failedAttempts: 1,
        lastSuccessAt: null,
        consecutiveFailures: 1,
      }),
    ).toBe(
      "24 h: 0% of 1 delivery succeeded (1 attempt, 1 failed) · median 120 ms · no success yet · 1 failure in a row",
    );
  });
});

describe("the reasons and the Processes list's banner", () => {
  it("words the reasons with the app's date format", () => {
    expect(failingReason("3 days", "2026-11-21T09:05:00Z")).toBe(
      "Turned off automatically: every delivery failed for 3 days (since Nov 21, 2026, 9:05 AM UTC).",
    );
    expect(goneReason(new Date("2026-11-24T12:44:00Z"))).toBe(
      "Turned off Nov 24, 2026, 12:44 PM UTC: the receiver answered 410 Gone.",
    );
  });

  it("groups callbacks turned off for failing apart from the others", () => {
    const cb = (processName: string, position: number, reason: string) => ({
      processId: processName,
      processName,
      position,
      reason,
    });
    const failing = failingReason("3 days", now);
    const groups = autoDisabledGroups(
      [cb("A", 0, failing), cb("B", 1, failing), cb("C", 0, goneReason(now))],
      "3 days",
    );
    expect(groups.map((g) => [g.lead, g.callbacks.map((c) => c.processName)])).toEqual([
      ["2 callbacks were turned off because every delivery failed for 3 days:", ["A", "B"]],
      ["1 callback was turned off automatically:", ["C"]],
    ]);
    expect(autoDisabledGroups([], "3 days")).toEqual([]);
  });
});
