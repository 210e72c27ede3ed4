import { describe, expect, it } from "vitest";
import { MAX_RETRY_DELAY_MS, nextStep, retryPolicyFrom, scheduledDelayMs } from "./retry-policy";

const policy = { schedule: [1000, 60_000, 3_600_000] };
const retry = { outcome: "retry" as const, retryAfterMs: null };

describe("nextStep", () => {
  it("is done after a 2xx and stops at once on 410, a forbidden address or a skipped attempt", () => {
    expect(nextStep({ outcome: "succeeded", retryAfterMs: null }, 1, policy)).toEqual({ kind: "done" });
    for (const outcome of ["gone", "refused", "skipped"] as const) {
      expect(nextStep({ outcome, retryAfterMs: null }, 1, policy)).toEqual({ kind: "stop", reason: outcome });
    }
  });

  it("retries after each of the schedule's waits in turn, then stops", () => {
    const steps = [1, 2, 3, 4].map((n) => nextStep(retry, n, policy, () => 0.5));
    expect(steps).toEqual([
      { kind: "retry", delayMs: 1000, cause: "schedule" },
      { kind: "retry", delayMs: 60_000, cause: "schedule" },
      { kind: "retry", delayMs: 3_600_000, cause: "schedule" },
      { kind: "stop", reason: "final" },
    ]);
  });

  it("makes the first attempt the only one with an empty schedule", () => {
    expect(nextStep(retry, 1, { schedule: [] })).toEqual({ kind: "stop", reason: "final" });
  });

  it("waits as long as Retry-After asks, capped, but never past the final attempt", () => {
    expect(nextStep({ outcome: "retry", retryAfterMs: 2000 }, 1, policy)).toEqual({
      kind: "retry",
      delayMs: 2000,
      cause: "retry-after",
    });
    expect(nextStep({ outcome: "retry", retryAfterMs: 10 * MAX_RETRY_DELAY_MS }, 1, policy)).toMatchObject({
      delayMs: MAX_RETRY_DELAY_MS,
    });
    expect(nextStep({ outcome: "retry", retryAfterMs: 2000 }, 4, policy)).toEqual({
      kind: "stop",
      reason: "final",
    });
  });
});

describe("scheduledDelayMs", () => {
  it("jitters by at most 10% and never past 24 hours", () => {
    expect(scheduledDelayMs(1, policy, () => 0)).toBe(900);
    expect(scheduledDelayMs(1, policy, () => 1)).toBe(1100);
    expect(scheduledDelayMs(3, policy, () => 0)).toBe(3_240_000);
    expect(scheduledDelayMs(1, { schedule: [MAX_RETRY_DELAY_MS] }, () => 1)).toBe(MAX_RETRY_DELAY_MS);
  });
});

describe("retryPolicyFrom", () => {
  it("takes the server's schedule", () => {
    expect(retryPolicyFrom({ DELIVERY_RETRY_SCHEDULE: [5000, 300_000] })).toEqual({
      schedule: [5000, 300_000],
    });
  });
});
