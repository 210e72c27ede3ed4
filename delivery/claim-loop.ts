import "server-only";
import type { ClaimedDelivery } from "@/db/queries/delivery-queue";
import { logger } from "@/lib/logger";

export type ClaimLoop<Held extends ClaimedDelivery = ClaimedDelivery> = {
  /** Look for due work now: some was queued here, or a server may have let some go. */
  wake: () => void;
  /** Look again in `ms` (a retry falls due then). */
  wakeIn: (ms: number) => void;
  /** How many more deliveries this server takes into its hands now. */
  room: () => number;
  /** Deliveries this server already holds (created held by the fan-out): run them without a claim. */
  take: (held: Held[]) => void;
  /** Stops claiming, waits (up to `graceMs`) for the attempts under way, and lets go of the rest. */
  stop: (graceMs: number) => Promise<void>;
};

export type QueueAccess = {
  claim: (limit: number, lockMs: number, skipCallbacks: string[]) => Promise<ClaimedDelivery[]>;
  extend: (ids: string[], lockMs: number) => Promise<void>;
  release: (ids: string[]) => Promise<void>;
};

/**
 * Runs the deliveries table's queue in this server: one claim at a time, up to `maxInFlight` deliveries
 * in hand, each attempt run as soon as it is held and settled on its own, so a slow one never holds back
 * the others claimed with it. Held rows are kept held by a heartbeat; a server that dies stops beating,
 * and its rows are claimable again once their lock runs out.
 *
 * At most `perCallback` requests to one callback are in flight at once in this server: a claim skips callbacks
 * already holding that many, and the few one claim brings past it wait their turn in memory.
 *
 * Claims are made when woken (work queued here, a retry due, room freed while work was left behind) and
 * every `idlePollMs` otherwise, for what other servers queued or let go.
 */
export function startClaimLoop<Held extends ClaimedDelivery = ClaimedDelivery>(
  queue: QueueAccess,
  options: {
    maxInFlight: number;
    perCallback: number;
    idlePollMs: number;
    /** How long a claim holds a row; the heartbeat renews it every `heartbeatMs` while in hand. */
    lockMs: number;
    heartbeatMs: number;
    /** A row claimed this many times without an attempt being recorded is given up on. */
    maxClaims: number;
    /**
     * Makes the attempt; calls `sent` once the request is answered: the callback's turn passes on then,
     * while the attempt is still being recorded (the limit is on requests in flight to a receiver).
     */
    run: (delivery: ClaimedDelivery | Held, sent: () => void) => Promise<void>;
    abandon: (delivery: ClaimedDelivery) => Promise<void>;
  },
): ClaimLoop<Held> {
  const CLAIM_BATCH = 50;
  let stopped = false;
  let woken = false;
  /** The last claim may have left due work behind: it took as many as it asked for, or had no room. */
  let moreDue = true;
  /** Callbacks the last claim skipped (at their limit here): one with room again may have work due. */
  let skipped = new Set<string>();
  let wakeUp: (() => void) | undefined;
  const inHand = new Map<string, { callbackId: string; settled: Promise<void> }>();
  const held = new Map<string, number>();
  const running = new Map<string, number>();
  const waiting = new Map<string, ((go: boolean) => void)[]>();

  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  /** Waits for the callback's turn; false when the loop stopped meanwhile (the row is let go). */
  async function enter(callbackId: string): Promise<boolean> {
    const n = running.get(callbackId) ?? 0;
    if (n < options.perCallback) {
      running.set(callbackId, n + 1);
      return true;
    }
    return new Promise<boolean>((resolve) =>
      waiting.set(callbackId, [...(waiting.get(callbackId) ?? []), resolve]),
    );
  }
  function leave(callbackId: string) {
    const next = waiting.get(callbackId)?.shift();
    if (next) next(true);
    else running.set(callbackId, (running.get(callbackId) ?? 1) - 1);
  }

  function runHeld(delivery: ClaimedDelivery | Held) {
    const { deliveryId, callbackId } = delivery;
    if (inHand.has(deliveryId)) return;
    held.set(callbackId, (held.get(callbackId) ?? 0) + 1);
    const settled = (async () => {
      if (delivery.claims > options.maxClaims) {
        await options.abandon(delivery);
        return;
      }
      if (!(await enter(callbackId))) {
        await queue.release([deliveryId]);
        return;
      }
      let left = false;
      const sent = () => {
        if (left) return;
        left = true;
        leave(callbackId);
      };
      try {
        await options.run(delivery, sent);
      } finally {
        sent();
      }
    })()
      .catch((error) =>
        // Not recorded (the database unreachable, say): the row stays held until its lock runs out,
        // then it is claimed again.
        logger.warn(
          { delivery: deliveryId, err: error instanceof Error ? error.message : error },
          "a delivery attempt was not recorded; it runs again once its lock runs out",
        ),
      )
      .finally(() => {
        const left = (held.get(callbackId) ?? 1) - 1;
        if (left) held.set(callbackId, left);
        else held.delete(callbackId);
        inHand.delete(deliveryId);
        // Claim again only when it can find something: not once per attempt that ends.
        if (moreDue || (skipped.has(callbackId) && left < options.perCallback)) wake();
      });
    inHand.set(deliveryId, { callbackId, settled });
  }

  const heartbeat = setInterval(() => {
    if (!inHand.size) return;
    queue
      .extend([...inHand.keys()], options.lockMs)
      .catch((error) => logger.warn({ err: error }, "could not renew the locks of deliveries in hand"));
  }, options.heartbeatMs);
  heartbeat.unref();

  const loop = (async () => {
    while (!stopped) {
      woken = false;
      const room = options.maxInFlight - inHand.size;
      if (room <= 0) {
        moreDue = true;
        await nap(options.idlePollMs);
        continue;
      }
      try {
        const busy = [...held].filter(([, n]) => n >= options.perCallback).map(([id]) => id);
        const limit = Math.min(room, CLAIM_BATCH);
        const claimed = await queue.claim(limit, options.lockMs, busy);
        moreDue = claimed.length === limit;
        skipped = new Set(busy);
        for (const delivery of claimed) runHeld(delivery);
        if (!claimed.length) await nap(options.idlePollMs);
      } catch (error) {
        if (stopped) break;
        logger.warn({ err: error }, "could not claim due deliveries; trying again");
        await nap(options.idlePollMs);
      }
    }
  })();

  return {
    wake,
    wakeIn: (ms) => setTimeout(wake, ms).unref(),
    room: () => (stopped ? 0 : Math.max(0, options.maxInFlight - inHand.size)),
    take: (deliveries) => {
      for (const delivery of deliveries) runHeld(delivery);
    },
    async stop(graceMs) {
      stopped = true;
      wake();
      await loop;
      // Rows still waiting for their callback's turn go back to the queue at once.
      for (const resolvers of waiting.values()) for (const resolve of resolvers.splice(0)) resolve(false);
      await Promise.race([
        Promise.allSettled([...inHand.values()].map((h) => h.settled)),
        new Promise((resolve) => setTimeout(resolve, graceMs)),
      ]);
      clearInterval(heartbeat);
    },
  };
}
