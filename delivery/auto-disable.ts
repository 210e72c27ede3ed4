import "server-only";
import { type AutoDisabled, disableFailingCallbacks } from "@/db/queries/callback-disable";
import type { Duration } from "@/lib/duration";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";

function logDisabled(disabled: AutoDisabled[], period: Duration) {
  if (!disabled.length) return;
  logger.warn(
    { callbacks: disabled.map((cb) => cb.callbackId), period: period.label },
    `turned off ${disabled.length} callback(s): every delivery failed for ${period.label}`,
  );
}

/**
 * The periodic check both engines run every 5 minutes: turns off the callbacks whose every delivery
 * has failed for CALLBACK_DISABLE_AFTER, and logs which. Returns the ids of the callbacks it turned off.
 * It catches the callbacks whose failing run crosses the period with no new attempt; one that fails
 * again is checked at once (disableIfFailing).
 */
export async function disableFailingCallbacksNow(now = new Date()): Promise<{ disabled: string[] }> {
  const period = getEnv().CALLBACK_DISABLE_AFTER;
  const disabled = await disableFailingCallbacks(period, now);
  logDisabled(disabled, period);
  return { disabled: disabled.map((cb) => cb.callbackId) };
}

/** One callback is checked at most this often per server: half the period, and at least every 30 s. */
export function checkIntervalMs(period: Duration): number {
  return Math.min(period.ms / 2, 30_000);
}

/** Per callback: when its last check started, and the one queued behind it. */
const throttles = new Map<string, { lastAt: number; trailing?: Promise<void> }>();

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Waits until the wall clock reads `at`: a timer counts from the event loop's cached time, so a busy
 * loop can make it fire early by as long as the turn that set it took. */
async function sleepUntil(at: number): Promise<void> {
  while (Date.now() < at) await sleep(at - Date.now());
}

async function check(callbackId: string): Promise<void> {
  try {
    const period = getEnv().CALLBACK_DISABLE_AFTER;
    logDisabled(await disableFailingCallbacks(period, new Date(), { callbackIds: [callbackId] }), period);
  } catch (error) {
    logger.warn({ err: error, callbackId }, "could not check whether a failing callback must be turned off");
  }
}

/**
 * Turns the callback off now if its every delivery has failed for CALLBACK_DISABLE_AFTER (the periodic
 * check's rule, for this callback alone). Throttled per callback in this server: a check within the last
 * checkIntervalMs makes this one wait for the end of that interval, and every call meanwhile shares it,
 * so a burst of failures costs one check now and one after, and the last failure is always looked at.
 * Never rejects (a failed check is logged); resolves once the check it ran or joined is done.
 */
export function disableIfFailing(callbackId: string): Promise<void> {
  const now = Date.now();
  const state = throttles.get(callbackId);
  if (state?.trailing) return state.trailing;
  let interval = 30_000;
  try {
    interval = checkIntervalMs(getEnv().CALLBACK_DISABLE_AFTER);
  } catch {
    // An invalid environment fails the check itself, which logs it.
  }
  if (state && now - state.lastAt < interval) {
    state.trailing = sleepUntil(state.lastAt + interval).then(() => {
      state.lastAt = Date.now();
      state.trailing = undefined;
      return check(callbackId);
    });
    return state.trailing;
  }
  if (throttles.size >= 1000) {
    for (const [id, s] of throttles) if (!s.trailing && now - s.lastAt >= interval) throttles.delete(id);
  }
  throttles.set(callbackId, { lastAt: now });
  return check(callbackId);
}
