import "server-only";
import { listPendingHandoffs, recordHandoffFailure } from "@/db/queries/events";
import { createBatcher } from "@/lib/batcher";
import { logger } from "@/lib/logger";
import type { DeliveryEngine } from "./engine";

/** What the outbox needs of an engine: taking stored events. */
export type HandOffTarget = Pick<DeliveryEngine, "handOff">;

export type HandOffResult = { handedOff: number; pending: number };

const PAUSE_AFTER_FAILURE_MS = 15_000;

/**
 * Offers stored events to the engine `engine()` gives (the outbox's send step); the engine marks them once
 * it took them. A failure, an engine that cannot start included, is recorded and leaves them pending for
 * the periodic re-send; it never reaches the producer, whose events are already durable. Offering again is
 * harmless: both engines key the work by the event id.
 */
async function offer(engine: () => Promise<HandOffTarget>, eventIds: string[]): Promise<HandOffResult> {
  try {
    await (await engine()).handOff(eventIds);
    return { handedOff: eventIds.length, pending: 0 };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.warn(
      { events: eventIds.length, err: message },
      "hand-off to the delivery engine failed; events stay pending",
    );
    await recordHandoffFailure(eventIds, message).catch((e) =>
      logger.error({ err: e }, "could not record hand-off failure"),
    );
    return { handedOff: 0, pending: eventIds.length };
  }
}

export type Outbox = {
  /**
   * Hands events off now. After a failed hand-off, requests stop waiting on the engine for a while (the
   * re-send catches up); `force` offers them anyway.
   */
  handOff(eventIds: string[], options?: { force?: boolean }): Promise<HandOffResult>;
  /**
   * Hands off with the events of concurrent requests: one engine call and one update per batch instead
   * of one per request. Resolves once these events were offered (accepted or left pending).
   */
  handOffBatched(eventIds: string[]): Promise<void>;
};

/**
 * The request path's outbox for one server: hand-offs to the engine `engine()` resolves to, with the pause
 * after a failure and the batching of concurrent requests as its own state. The runtime makes one.
 */
export function createOutbox(engine: () => Promise<HandOffTarget>): Outbox {
  let pauseUntil = 0;

  async function handOff(eventIds: string[], options: { force?: boolean } = {}) {
    if (!eventIds.length) return { handedOff: 0, pending: 0 };
    if (!options.force && Date.now() < pauseUntil) return { handedOff: 0, pending: eventIds.length };
    const result = await offer(engine, eventIds);
    if (result.pending) pauseUntil = Date.now() + PAUSE_AFTER_FAILURE_MS;
    return result;
  }

  // The route answers before the hand-off (after()). Hand-offs of requests that finish together share one
  // engine call and one update: those queued in one turn of the event loop, and any queued while the
  // previous ones run. An idle server hands an event off at once; a busy one batches on its own.
  const together = createBatcher(
    async (lists: string[][]) => {
      await handOff(lists.flat());
      return lists.map(() => undefined);
    },
    { maxSize: 100, maxConcurrent: 2 },
  );

  return {
    handOff,
    handOffBatched: (eventIds) => (eventIds.length ? together(eventIds) : Promise.resolve()),
  };
}

/**
 * Re-sends events whose hand-off has been pending for a while (the process died, or the engine was down)
 * to `engine`: the engine's own schedule passes itself, so a stopping engine never starts another. A failed
 * re-send is recorded on the events; it does not pause the request path's hand-offs (the first request
 * that fails does).
 */
export async function resendPendingHandoffs(
  engine: HandOffTarget,
  options: { minAgeMs?: number; limit?: number } = {},
) {
  const pending = await listPendingHandoffs({
    olderThan: new Date(Date.now() - (options.minAgeMs ?? 30_000)),
    limit: options.limit ?? 500,
  });
  const ids = pending.map((e) => e.id);
  const result = ids.length ? await offer(async () => engine, ids) : { handedOff: 0, pending: 0 };
  return { found: pending.length, ...result };
}
