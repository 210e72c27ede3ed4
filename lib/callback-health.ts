import { formatDateTime } from "./format-date";
import { plural } from "./plural";

/** How one callback has been doing; times are ISO 8601 so the value crosses to the browser as is. */
export type CallbackHealth = {
  callbackId: string;
  processId: string;
  enabled: boolean;
  disabledReason: string | null;
  /** When leadhook turned the callback off by itself; null when it is on or an admin turned it off. */
  disabledAt: string | null;
  /**
   * Deliveries attempted over the last 24 hours, and how many of them were delivered (an event delivered
   * after retries is a success); skipped attempts (a callback turned off) aside.
   */
  deliveries: number;
  succeeded: number;
  /** The attempts those deliveries took in the 24 hours, and how many of them failed. */
  attempts: number;
  failedAttempts: number;
  /** The median latency of those attempts, in ms. */
  medianLatencyMs: number | null;
  lastSuccessAt: string | null;
  /** Attempts since the last success (every attempt, when none ever succeeded). */
  consecutiveFailures: number;
};

/** ok, failing, turned off automatically ("disabled"), or switched off by an admin ("off"). */
export type CallbackState = "ok" | "failing" | "disabled" | "off";
export type ProcessHealth = "OK" | "Failing" | "Disabled";

/** A callback whose last attempt failed counts as failing once it has not succeeded for this long. */
export const FAILING_AFTER_MS = 60 * 60 * 1000;

/**
 * The one rule for a callback's state: turned off automatically (disabledAt set) is "disabled", switched
 * off by an admin is "off", and an enabled one is "failing" when its last attempt failed and nothing
 * succeeded in the last hour (a blip between successes is not a failing endpoint), else "ok".
 */
export function callbackState(
  health: Pick<CallbackHealth, "enabled" | "disabledAt" | "consecutiveFailures" | "lastSuccessAt">,
  now: Date = new Date(),
): CallbackState {
  if (!health.enabled) return health.disabledAt ? "disabled" : "off";
  if (health.consecutiveFailures < 1) return "ok";
  const lastSuccess = health.lastSuccessAt ? new Date(health.lastSuccessAt).getTime() : null;
  return lastSuccess !== null && now.getTime() - lastSuccess < FAILING_AFTER_MS ? "ok" : "failing";
}

/**
 * A process's health on the Processes list: "Disabled" when leadhook turned any of its callbacks off,
 * "Failing" when any enabled one is failing, else "OK" (callbacks an admin switched off do not count).
 */
export function processHealth(
  callbacks: Parameters<typeof callbackState>[0][],
  now = new Date(),
): ProcessHealth {
  const states = callbacks.map((cb) => callbackState(cb, now));
  if (states.includes("disabled")) return "Disabled";
  if (states.includes("failing")) return "Failing";
  return "OK";
}

/** Whole percent, never rounded up to 100 or down to 0 when some went the other way. */
function percent(part: number, whole: number): number {
  if (part === whole) return 100;
  if (part === 0) return 0;
  return Math.min(99, Math.max(1, Math.round((part / whole) * 100)));
}

/**
 * The line under a callback: "24 h: 98% of 50 deliveries succeeded (53 attempts, 4 failed) · median 120 ms
 * · last success Nov 24, 2026, 12:44 PM UTC · 3 failures in a row". The rate is of deliveries (one that
 * succeeded on a retry is a success); the attempts, and the failures in a row, are attempts.
 */
export function healthLine(health: CallbackHealth): string {
  const { deliveries, succeeded, attempts, failedAttempts } = health;
  const retried = failedAttempts
    ? ` (${plural(attempts, "attempt", "attempts")}, ${failedAttempts} failed)`
    : "";
  const parts = [
    deliveries
      ? `24 h: ${percent(succeeded, deliveries)}% of ${plural(deliveries, "delivery", "deliveries")} succeeded${retried}`
      : "24 h: no deliveries",
  ];
  if (health.medianLatencyMs !== null) parts.push(`median ${Math.round(health.medianLatencyMs)} ms`);
  if (health.lastSuccessAt) parts.push(`last success ${formatDateTime(health.lastSuccessAt)}`);
  else if (health.consecutiveFailures) parts.push("no success yet");
  if (health.consecutiveFailures) {
    parts.push(`${plural(health.consecutiveFailures, "failure", "failures")} in a row`);
  }
  return parts.join(" · ");
}

const FAILING_REASON = "Turned off automatically: every delivery failed for";

/** The reason stored on a callback the periodic check turned off. */
export function failingReason(period: string, since: Date | string): string {
  return `${FAILING_REASON} ${period} (since ${formatDateTime(since)}).`;
}

/** The reason stored on a callback whose receiver answered 410 Gone. */
export function goneReason(at: Date): string {
  return `Turned off ${formatDateTime(at)}: the receiver answered 410 Gone.`;
}

/** A callback leadhook turned off, as the Processes list names it. */
export type AutoDisabledCallback = {
  processId: string;
  processName: string;
  position: number;
  /** Shown instead of "Callback N" where set. */
  name?: string | null;
  reason: string | null;
};

/**
 * The sentences of the Processes list's banner: callbacks turned off for failing and for any other
 * reason (a 410 Gone) are named apart, each group with the words that lead it.
 */
export function autoDisabledGroups(callbacks: AutoDisabledCallback[], period: string) {
  const failing = callbacks.filter((cb) => cb.reason?.startsWith(FAILING_REASON));
  const other = callbacks.filter((cb) => !cb.reason?.startsWith(FAILING_REASON));
  const lead = (n: number, why: string) =>
    `${plural(n, "callback was", "callbacks were")} turned off ${why}:`;
  return [
    { lead: lead(failing.length, `because every delivery failed for ${period}`), callbacks: failing },
    { lead: lead(other.length, "automatically"), callbacks: other },
  ].filter((group) => group.callbacks.length > 0);
}
