import "server-only";
import type { PgBoss } from "pg-boss";
import { logger } from "@/lib/logger";

export type ClaimLoop = {
  /** Fetch now: work was queued here, or a job finished and its group has room again. */
  wake: () => void;
  /** Stops fetching and waits (up to `graceMs`) for the jobs in hand to settle. */
  stop: (graceMs: number) => Promise<void>;
};

/**
 * Runs one queue's jobs with one fetch at a time and up to `maxInFlight` jobs in hand, each settled on
 * its own as soon as it finishes. One fetch at a time is what makes the per-group limit exact in this
 * server: pg-boss counts a group's active jobs as it claims, and two fetches at the same instant could
 * both see room for the same slot. A job is handed to `run` as soon as it is claimed, so a slow one
 * never holds back the others fetched with it.
 */
export function startClaimLoop<T extends object>(
  boss: PgBoss,
  options: {
    queue: string;
    maxInFlight: number;
    groupConcurrency: number;
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

  function settle(job: { id: string; retryCount: number; data: T }) {
    const attempt = { id: job.id, retryCount: job.retryCount };
    const heartbeat = setInterval(() => {
      boss.touch(options.queue, attempt).catch(() => {});
    }, options.heartbeatMs);
    const settled = (async () => {
      try {
        await options.run(job.data);
        await boss.complete(options.queue, attempt);
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
        const jobs = await boss.fetch<T>(options.queue, {
          batchSize: Math.min(room, 50),
          groupConcurrency: options.groupConcurrency,
        });
        for (const job of jobs) settle(job);
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
