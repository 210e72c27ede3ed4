import type { Env } from "../env";
import { MAX_RETRY_DELAY_MS, type RetrySchedule } from "./retry-schedule";

export { MAX_RETRY_DELAY_MS };

/** How an attempt ended, as the delivery client judges it (deliver.ts) and the policy reads it. */
export type AttemptOutcome = "succeeded" | "retry" | "gone" | "refused";

export type RetryPolicy = {
  /** The wait before each retry, in order (DELIVERY_RETRY_SCHEDULE): its length is the number of retries. */
  schedule: RetrySchedule;
};

export type NextStep =
  | { kind: "done" }
  | { kind: "stop"; reason: "gone" | "refused" | "final" | "skipped" }
  | { kind: "retry"; delayMs: number; cause: "retry-after" | "schedule" };

/** The policy the server is configured with. */
export function retryPolicyFrom(env: Pick<Env, "DELIVERY_RETRY_SCHEDULE">): RetryPolicy {
  return { schedule: env.DELIVERY_RETRY_SCHEDULE };
}

/** True when attempt `attemptNumber` (1-based) is the last one the policy allows. */
export function isFinalAttempt(attemptNumber: number, policy: RetryPolicy): boolean {
  return attemptNumber > policy.schedule.length;
}

/**
 * How long to wait before retry number `retry` (1-based): the schedule's wait with ±10% jitter, so a
 * receiver that failed many deliveries at once is not hit by all of their retries at once.
 */
export function scheduledDelayMs(
  retry: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exact = policy.schedule[Math.min(retry, policy.schedule.length) - 1] ?? 0;
  return Math.min(Math.round(exact * (0.9 + 0.2 * random())), MAX_RETRY_DELAY_MS);
}

/**
 * What follows an attempt, for both engines: a 2xx is done; 410 Gone and a forbidden address stop at
 * once; anything else is retried, after the receiver's Retry-After when it sent one (capped), else after
 * the schedule's wait, until the final attempt.
 */
export function nextStep(
  attempt: { outcome: AttemptOutcome | "skipped"; retryAfterMs: number | null },
  attemptNumber: number,
  policy: RetryPolicy,
  random?: () => number,
): NextStep {
  switch (attempt.outcome) {
    case "succeeded":
      return { kind: "done" };
    case "gone":
    case "refused":
    case "skipped":
      return { kind: "stop", reason: attempt.outcome };
  }
  if (isFinalAttempt(attemptNumber, policy)) return { kind: "stop", reason: "final" };
  if (attempt.retryAfterMs !== null) {
    return {
      kind: "retry",
      delayMs: Math.min(attempt.retryAfterMs, MAX_RETRY_DELAY_MS),
      cause: "retry-after",
    };
  }
  return { kind: "retry", delayMs: scheduledDelayMs(attemptNumber, policy, random), cause: "schedule" };
}
