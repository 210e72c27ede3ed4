import "server-only";
import { markHandedOff } from "@/db/queries/events";
import type { DeliveryEngine } from "@/delivery/engine";
import { inngest } from "./client";
import { deliveryRequested, eventReceived, replayRequested } from "./events";

const SEND_TIMEOUT_MS = 3000;

/**
 * The Inngest engine: events go to the Inngest server, which calls the functions in ./functions back
 * through the serve route. The Inngest event id is the stored event's id, so a re-sent hand-off is
 * de-duplicated by Inngest.
 */
export const inngestEngine: DeliveryEngine = {
  name: "inngest",
  async start() {},
  async stop() {},

  async handOff(eventIds) {
    await withTimeout(
      inngest.send(eventIds.map((eventId) => eventReceived.create({ eventId }, { id: eventId }))),
    );
    // Inngest has them: if marking fails, the re-send offers them again and Inngest de-duplicates them.
    await markHandedOff(eventIds);
  },

  // Sent before the transaction commits: if Inngest refuses, the row is rolled back and stays as it was.
  // A run that starts before the commit waits on the row lock to record its attempt.
  async redeliver(_tx, delivery) {
    await withTimeout(
      inngest.send(
        deliveryRequested.create(
          { ...delivery, runStartedAt: new Date().toISOString() },
          { id: `redeliver:${delivery.deliveryId}:${crypto.randomUUID()}` },
        ),
      ),
    );
  },

  // Sent before the transaction commits, as a redelivery is; the run retries until the replay is stored.
  async startReplay(_tx, replayId) {
    await withTimeout(
      inngest.send(replayRequested.create({ replayId, part: 0 }, { id: `replay:${replayId}:0` })),
    );
  },
};

/** Sends Inngest events, refusing after a few seconds so a transaction waiting on it is not held long. */
export function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Inngest did not answer within ${SEND_TIMEOUT_MS / 1000} s`)),
      SEND_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
