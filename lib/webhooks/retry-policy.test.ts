import { describe, expect, it } from "vitest";
import { backoffDelayMs, MAX_BACKOFF_MS, MAX_RETRY_DELAY_MS, nextStep } from "./retry-policy";

const policy = { maxRetries: 3, backoffBaseMs: 1000 };
const retry = { outcome: "retry" as const, retryAfterMs: null };

describe("nextStep", () => {
  it("is done after a 2xx and stops at once on 410, a forbidden address or a skipped attempt", () => {
    expect(nextStep({ outcome: "succeeded", retryAfterMs: null }, 1, policy)).toEqual({ kind: "done" });
    for (const outcome of ["gone", "refused", "skipped"] as const) {
      expect(nextStep({ outcome, retryAfterMs: null }, 1, policy)).toEqual({ kind: "stop", reason: outcome });
    }
  });

  it("retries with doubling backoff until the final attempt", () => {
    const steps = [1, 2, 3, 4].map((n) => nextStep(retry, n, policy, () => 0.5));
    expect(steps).toEqual([
      { kind: "retry", delayMs: 1000, cause: "backoff" },
      { kind: "retry", delayMs: 2000, cause: "backoff" },
      { kind: "retry", delayMs: 4000, cause: "backoff" },
      { kind: "stop", reason: "final" },
    ]);
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

describe("backoffDelayMs", () => {
  it("jitters by at most 20% and stops growing at the cap", () => {
    expect(backoffDelayMs(1, policy, () => 0)).toBe(800);
    expect(backoffDelayMs(1, policy, () => 1)).toBe(1200);
    expect(backoffDelayMs(40, policy, () => 0.5)).toBe(MAX_BACKOFF_MS);
  });
});
