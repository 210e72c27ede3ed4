import "server-only";
import type { JobResult, PgBoss, WorkOptions } from "pg-boss";
import { logger } from "@/lib/logger";
import { type JobDefinition, type JobPayload, jobs, MalformedJobError, parseJob } from "./jobs";

/**
 * Workers for a job of the catalog on its pg-boss queue. Each job's payload is parsed with the job's
 * schema as it starts; one that does not parse goes to the dead-letter queue with why (and is settled,
 * never retried), and the work runs only with a payload that did.
 */
export async function workJob<J extends JobDefinition>(
  boss: PgBoss,
  job: J,
  options: {
    count?: number;
    batchSize?: number;
    /** What else a malformed job must settle (a replay keyed by its job id stops, saying why). */
    malformed?: (jobId: string, reason: string) => Promise<void>;
  },
  work: (payload: JobPayload<J>) => Promise<void>,
): Promise<string[]> {
  if (!job.queue) throw new Error(`The ${job.name} job has no pg-boss queue`);
  return workers(
    boss,
    job.queue,
    options.count ?? 1,
    { batchSize: options.batchSize ?? 1 },
    async ({ id, data }) => {
      let payload: JobPayload<J>;
      try {
        payload = parseJob(job, data);
      } catch (error) {
        if (!(error instanceof MalformedJobError)) throw error;
        await boss.send(jobs.deadLetter.queue, { job: job.name, jobId: id, data, reason: error.reason });
        logger.error({ job: job.name, jobId: id, reason: error.reason }, "malformed job dead-lettered");
        await options.malformed?.(id, error.reason);
        return;
      }
      await work(payload);
    },
  );
}

/**
 * `count` workers on a queue, each settling every job of its batch on its own. A worker that found jobs
 * fetches again at once instead of sleeping out its poll: more may be waiting than one batch holds.
 */
async function workers(
  boss: PgBoss,
  queue: string,
  count: number,
  options: WorkOptions,
  work: (job: { id: string; data: unknown }) => Promise<void>,
): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    let id = "";
    id = await boss.work<unknown>(queue, { ...options, perJobResults: true }, async (jobs) => {
      const results = await settleEach(jobs, work);
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
