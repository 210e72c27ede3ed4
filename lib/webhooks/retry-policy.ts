import type { Env } from "../env";

/** The longest any retry waits, whether the receiver asked for it (Retry-After) or backoff chose it. */
export const MAX_RETRY_DELAY_MS = 24 * 60 * 60 * 1000;
/** Backoff stops growing here; only a receiver's Retry-After may ask for longer (up to the cap above). */
export const MAX_BACKOFF_MS = 2 * 60 * 60 * 1000;

/** How an attempt ended, as the delivery client judges it (deliver.ts) and the policy reads it. */
export type AttemptOutcome = "succeeded" | "retry" | "gone" | "refused";

export type RetryPolicy = {
  /** Retries after the first attempt (DELIVERY_MAX_RETRIES). */
  maxRetries: number;
  /** The first retry's delay; each later one doubles it (DELIVERY_BACKOFF_BASE_MS). */
  backoffBaseMs: number;
};

export type NextStep =
  | { kind: "done" }
  | { kind: "stop"; reason: "gone" | "refused" | "final" | "skipped" }
  | { kind: "retry"; delayMs: number; cause: "retry-after" | "backoff" };

/** The policy the server is configured with. */
export function retryPolicyFrom(
  env: Pick<Env, "DELIVERY_MAX_RETRIES" | "DELIVERY_BACKOFF_BASE_MS">,
): RetryPolicy {
  return { maxRetries: env.DELIVERY_MAX_RETRIES, backoffBaseMs: env.DELIVERY_BACKOFF_BASE_MS };
}

/** True when attempt `attemptNumber` (1-based) is the last one the policy allows. */
export function isFinalAttempt(attemptNumber: number, policy: RetryPolicy): boolean {
  return attemptNumber > policy.maxRetries;
}

/**
 * How long to wait before retry number `retry` (1-based): the base doubled each time, with ±20% jitter
 * so a receiver that failed many deliveries at once is not hit by all of their retries at once.
 */
export function backoffDelayMs(
  retry: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exact = Math.min(policy.backoffBaseMs * 2 ** Math.min(retry - 1, 30), MAX_BACKOFF_MS);
  return Math.round(exact * (0.8 + 0.4 * random()));
}

/**
 * What follows an attempt, for both engines: a 2xx is done; 410 Gone and a forbidden address stop at
 * once; anything else is retried, after the receiver's Retry-After when it sent one (capped), else with
 * exponential backoff, until the final attempt.
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
  return { kind: "retry", delayMs: backoffDelayMs(attemptNumber, policy, random), cause: "backoff" };
}
