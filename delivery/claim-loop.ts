import "server-only";
import type { PgBoss } from "pg-boss";
import { createBatcher } from "@/lib/batcher";
import { logger } from "@/lib/logger";

export type ClaimLoop = {
  /** Fetch now: work was queued here, or a job finished and its group has room again. */
  wake: () => void;
  /** Stops fetching and waits (up to `graceMs`) for the jobs in hand to settle. */
  stop: (graceMs: number) => Promise<void>;
};

type Claimed<T> = { id: string; retryCount: number; data: T; groupId?: string | null };

/**
 * Runs one queue's jobs: one fetch at a time, up to `maxInFlight` jobs in hand, each run as soon as it
 * is claimed and settled on its own, so a slow one never holds back the others fetched with it.
 *
 * At most `perGroup` jobs of a group (a callback) run at once in this server. The limit is kept here:
 * a fetch skips the groups already at it (pg-boss's ignoreGroups, a cheap filter), and the few of a
 * group that one fetch may bring past it wait their turn in memory. pg-boss's own database-wide group
 * count was measured at 2.5 ms a fetch against 0.27 ms for this, the costliest statement of a run.
 */
export function startClaimLoop<T extends object>(
  boss: PgBoss,
  options: {
    queue: string;
    maxInFlight: number;
    perGroup: number;
    /** How often an idle loop looks for work it was not woken for (other servers, crash recovery). */
    idlePollMs: number;
    /** Heartbeat interval for jobs with heartbeatSeconds; a dead server's jobs then run again soon. */
    heartbeatMs: number;
    run: (data: T) => Promise<void>;
  },
): ClaimLoop {
  let stopped = false;
  let woken = false;
  let wakeUp: (() => void) | undefined;
  const inHand = new Set<Promise<void>>();
  const held = new Map<string, number>();
  const running = new Map<string, number>();
  const waiting = new Map<string, (() => void)[]>();
  // Jobs that finish together are completed in one statement (and wake one fetch), not one each.
  const complete = createBatcher(
    async (attempts: { id: string; retryCount: number }[]) => {
      await boss.complete(options.queue, attempts);
      return attempts.map(() => undefined);
    },
    { maxSize: 200, maxConcurrent: 1 },
  );

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

  async function enter(group: string) {
    const n = running.get(group) ?? 0;
    if (n < options.perGroup) {
      running.set(group, n + 1);
      return;
    }
    await new Promise<void>((resolve) => waiting.set(group, [...(waiting.get(group) ?? []), resolve]));
  }
  function leave(group: string) {
    const next = waiting.get(group)?.shift();
    if (next) next();
    else running.set(group, (running.get(group) ?? 1) - 1);
  }

  /** Runs a claimed job in the background (its heartbeat, its group's turn), then completes or fails it. */
  function runClaimed(job: Claimed<T>) {
    const attempt = { id: job.id, retryCount: job.retryCount };
    const group = job.groupId ?? "";
    held.set(group, (held.get(group) ?? 0) + 1);
    const heartbeat = setInterval(() => {
      boss.touch(options.queue, attempt).catch(() => {});
    }, options.heartbeatMs);
    const settled = (async () => {
      try {
        await enter(group);
        try {
          await options.run(job.data);
        } finally {
          leave(group);
        }
        await complete(attempt);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        logger.warn({ job: job.id, err: message }, "delivery job failed; it runs again");
        await boss.fail(options.queue, attempt, { message });
      }
    })()
      .catch((error) =>
        logger.error(
          { job: job.id, err: error },
          "could not settle a delivery job; it expires and runs again",
        ),
      )
      .finally(() => {
        clearInterval(heartbeat);
        const left = (held.get(group) ?? 1) - 1;
        if (left) held.set(group, left);
        else held.delete(group);
        inHand.delete(settled);
        wake();
      });
    inHand.add(settled);
  }

  const loop = (async () => {
    while (!stopped) {
      woken = false;
      const room = options.maxInFlight - inHand.size;
      if (room <= 0) {
        await nap(options.idlePollMs);
        continue;
      }
      try {
        const full = [...held].filter(([, n]) => n >= options.perGroup).map(([group]) => group);
        const jobs = await boss.fetch<T>(options.queue, {
          batchSize: Math.min(room, 50),
          ignoreGroups: full.length ? full : null,
        });
        for (const job of jobs) runClaimed(job);
        if (jobs.length === 0) await nap(options.idlePollMs);
      } catch (error) {
        if (stopped) break;
        logger.warn({ err: error }, "could not fetch delivery jobs; trying again");
        await nap(options.idlePollMs);
      }
    }
  })();

  return {
    wake,
    async stop(graceMs) {
      stopped = true;
      wake();
      await loop;
      await Promise.race([
        Promise.allSettled([...inHand]),
        new Promise((resolve) => setTimeout(resolve, graceMs)),
      ]);
    },
  };
}
