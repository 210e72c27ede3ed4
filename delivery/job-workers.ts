import "server-only";
import type { JobResult, PgBoss, WorkOptions } from "pg-boss";
import { logger } from "@/lib/logger";

/**
 * `count` workers on a queue, each settling every job of its batch on its own. A worker that found jobs
 * fetches again at once instead of sleeping out its poll: more may be waiting than one batch holds.
 */
export async function workers<T extends object>(
  boss: PgBoss,
  queue: string,
  count: number,
  options: WorkOptions,
  work: (data: T) => Promise<void>,
): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    let id = "";
    id = await boss.work<T>(queue, { ...options, perJobResults: true }, async (jobs) => {
      const results = await settleEach(jobs, (job) => work(job.data));
      if (jobs.length) boss.notifyWorker(id);
      return results;
    });
    ids.push(id);
  }
  return ids;
}

/** Settles each job of a batch on its own: one failing job is retried without the others. */
async function settleEach<T>(
  jobs: { id: string; data: T }[],
  work: (job: { id: string; data: T }) => Promise<void>,
): Promise<JobResult[]> {
  return Promise.all(
    jobs.map(async (job): Promise<JobResult> => {
      try {
        await work(job);
        return { id: job.id, status: "completed" };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        logger.warn({ job: job.id, err: message }, "delivery job failed; pg-boss retries it");
        return { id: job.id, status: "failed", output: { message } };
      }
    }),
  );
}
