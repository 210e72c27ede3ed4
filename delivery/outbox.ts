import "server-only";
import { listPendingHandoffs, recordHandoffFailure } from "@/db/queries/events";
import { createBatcher } from "@/lib/batcher";
import { logger } from "@/lib/logger";
import { type DeliveryEngine, getEngine } from "./engine";

const PAUSE_AFTER_FAILURE_MS = 15_000;
let pauseUntil = 0;

/**
 * Hands stored events to the delivery engine (the outbox's send step), which marks them once it took them.
 * A failure is recorded and leaves them pending for the periodic re-send; it never reaches the producer,
 * whose events are already durable. Re-sending is harmless: both engines key the work by the event id.
 */
export async function handOff(
  eventIds: string[],
  options: { force?: boolean; engine?: Pick<DeliveryEngine, "handOff"> } = {},
): Promise<{ handedOff: number; pending: number }> {
  if (!eventIds.length) return { handedOff: 0, pending: 0 };
  // After a failed hand-off, requests stop waiting on the engine for a while; the re-send catches up.
  if (!options.force && Date.now() < pauseUntil) return { handedOff: 0, pending: eventIds.length };
  try {
    await (options.engine ?? (await getEngine())).handOff(eventIds);
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
  return { handedOff: eventIds.length, pending: 0 };
}

// The route answers before the hand-off (after()). Hand-offs of requests that finish together share one
// engine call and one update: those queued in one turn of the event loop, and any queued while the
// previous ones run. An idle server hands an event off at once; a busy one batches on its own.
const handOffTogether = createBatcher(
  async (lists: string[][]) => {
    await handOff(lists.flat());
    return lists.map(() => undefined);
  },
  { maxSize: 100, maxConcurrent: 2 },
);

/**
 * Hands off with the events of concurrent requests: one engine call and one update per batch instead of
 * one per request. Resolves once this request's events were offered (accepted or left pending).
 */
export function handOffBatched(eventIds: string[]): Promise<void> {
  if (!eventIds.length) return Promise.resolve();
  return handOffTogether(eventIds);
}

/**
 * Re-sends events whose hand-off has been pending for a while (the process died, or the engine was down).
 * An engine re-sending on its own schedule passes itself: the shared instance may be stopping, and asking
 * for it then would start another.
 */
export async function resendPendingHandoffs(
  options: { minAgeMs?: number; limit?: number; engine?: Pick<DeliveryEngine, "handOff"> } = {},
) {
  const pending = await listPendingHandoffs({
    olderThan: new Date(Date.now() - (options.minAgeMs ?? 30_000)),
    limit: options.limit ?? 500,
  });
  const result = await handOff(
    pending.map((e) => e.id),
    { force: true, engine: options.engine },
  );
  return { found: pending.length, ...result };
}
