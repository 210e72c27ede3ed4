import "server-only";
import { listPendingHandoffs, markHandedOff, recordHandoffFailure } from "@/db/queries/events";
import { logger } from "@/lib/logger";
import { inngest } from "./client";
import { eventReceived } from "./events";

const SEND_TIMEOUT_MS = 3000;

/**
 * Hands stored events to Inngest (the outbox's send step) and marks them once Inngest accepted them. A
 * failure is recorded and leaves them pending for the re-send function; it never reaches the producer,
 * whose events are already durable. Re-sending is harmless: the Inngest event id is the stored event id.
 */
export async function handOff(eventIds: string[]): Promise<{ handedOff: number; pending: number }> {
  if (!eventIds.length) return { handedOff: 0, pending: 0 };
  try {
    await withTimeout(
      inngest.send(eventIds.map((eventId) => eventReceived.create({ eventId }, { id: eventId }))),
      SEND_TIMEOUT_MS,
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.warn({ events: eventIds.length, err: message }, "hand-off to Inngest failed; events stay pending");
    await recordHandoffFailure(eventIds, message).catch((e) =>
      logger.error({ err: e }, "could not record hand-off failure"),
    );
    return { handedOff: 0, pending: eventIds.length };
  }
  await markHandedOff(eventIds);
  return { handedOff: eventIds.length, pending: 0 };
}

/** Re-sends events whose hand-off has been pending for a while (the process died, or Inngest was down). */
export async function resendPendingHandoffs(options: { minAgeMs?: number; limit?: number } = {}) {
  const pending = await listPendingHandoffs({
    olderThan: new Date(Date.now() - (options.minAgeMs ?? 30_000)),
    limit: options.limit ?? 500,
  });
  const result = await handOff(pending.map((e) => e.id));
  return { found: pending.length, ...result };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Inngest did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
