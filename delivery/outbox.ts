import "server-only";
import { listPendingHandoffs, markHandedOff, recordHandoffFailure } from "@/db/queries/events";
import { logger } from "@/lib/logger";
import { getEngine } from "./engine";

const PAUSE_AFTER_FAILURE_MS = 15_000;
let pauseUntil = 0;

/**
 * Hands stored events to the delivery engine (the outbox's send step) and marks them once it took them.
 * A failure is recorded and leaves them pending for the periodic re-send; it never reaches the producer,
 * whose events are already durable. Re-sending is harmless: both engines key the work by the event id.
 */
export async function handOff(
  eventIds: string[],
  options: { force?: boolean } = {},
): Promise<{ handedOff: number; pending: number }> {
  if (!eventIds.length) return { handedOff: 0, pending: 0 };
  // After a failed hand-off, requests stop waiting on the engine for a while; the re-send catches up.
  if (!options.force && Date.now() < pauseUntil) return { handedOff: 0, pending: eventIds.length };
  try {
    await (await getEngine()).handOff(eventIds);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.warn(
      { events: eventIds.length, err: message },
      "hand-off to the delivery engine failed; events stay pending",
    );
    pauseUntil = Date.now() + PAUSE_AFTER_FAILURE_MS;
    await recordHandoffFailure(eventIds, message).catch((e) =>
      logger.error({ err: e }, "could not record hand-off failure"),
    );
    return { handedOff: 0, pending: eventIds.length };
  }
  try {
    await markHandedOff(eventIds);
  } catch (error) {
    // The engine has them; marking failed, so the re-send will offer them again, which it de-duplicates.
    logger.warn(
      { events: eventIds.length, err: error instanceof Error ? error.message : error },
      "could not mark hand-off",
    );
    return { handedOff: 0, pending: eventIds.length };
  }
  return { handedOff: eventIds.length, pending: 0 };
}

// The route answers before the hand-off (after()), so a window costs producers nothing and saves an
// engine call and an update per few events; it adds at most this much before delivery starts.
const BATCH_WINDOW_MS = 20;
const BATCH_MAX = 500;
let waiting: { ids: string[]; done: () => void }[] = [];
let flushTimer: NodeJS.Timeout | undefined;

/**
 * Hands off with the events of concurrent requests: one engine call and one update per window
 * instead of one per request. Resolves once this request's events were offered (accepted or left
 * pending).
 */
export function handOffBatched(eventIds: string[]): Promise<void> {
  if (!eventIds.length) return Promise.resolve();
  return new Promise((done) => {
    waiting.push({ ids: eventIds, done });
    if (waiting.reduce((n, w) => n + w.ids.length, 0) >= BATCH_MAX) void flush();
    else flushTimer ??= setTimeout(() => void flush(), BATCH_WINDOW_MS);
  });
}

async function flush() {
  clearTimeout(flushTimer);
  flushTimer = undefined;
  const batch = waiting;
  waiting = [];
  try {
    await handOff(batch.flatMap((w) => w.ids));
  } finally {
    for (const w of batch) w.done();
  }
}

/** Re-sends events whose hand-off has been pending for a while (the process died, or the engine was down). */
export async function resendPendingHandoffs(options: { minAgeMs?: number; limit?: number } = {}) {
  const pending = await listPendingHandoffs({
    olderThan: new Date(Date.now() - (options.minAgeMs ?? 30_000)),
    limit: options.limit ?? 500,
  });
  const result = await handOff(
    pending.map((e) => e.id),
    { force: true },
  );
  return { found: pending.length, ...result };
}
