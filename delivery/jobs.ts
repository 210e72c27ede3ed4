import { z } from "zod";

/**
 * One background job: its name, the payload it carries (parsed where the job starts, never cast), its
 * retries and its schedule. Where it runs on each engine:
 * - `queue`: the embedded engine's pg-boss queue for it; without one, the embedded engine does the work
 *   without a job (said on the entry).
 * - `inngest`: the Inngest engine runs a function whose id is `name`, triggered by `inngest.event` (or the
 *   schedule); without it, Inngest has no such job (said on the entry).
 */
export type JobDefinition<Payload extends z.ZodType = z.ZodType> = {
  name: string;
  payload: Payload;
  queue?: string;
  inngest?: { event?: string };
  /** Cron, the same on both engines. */
  schedule?: string;
  /** Runs after the first that fail; pg-boss waits `delaySeconds`, doubled each time with `backoff`. */
  retries?: { limit: number; delaySeconds?: number; backoff?: boolean };
  /** How long pg-boss keeps the job once it is settled. */
  keepSeconds?: number;
};

/** A scheduled job carries nothing of its own: pg-boss sends null, Inngest the timer's fields. */
const scheduled = z.looseObject({}).nullish();

const uuid = z.uuid();

/** Every background job leadhook runs, declared once: both engines take their queues and functions here. */
export const jobs = {
  /** A stored event's deliveries, one per subscribed callback. Embedded: done in the hand-off itself. */
  fanOut: {
    name: "fan-out",
    payload: z.object({ eventId: uuid }),
    inngest: { event: "leadhook/event.received" },
  },
  /**
   * One run of a delivery (an event for one callback, or a Redeliver): ids and a time only, never secrets
   * or bodies; the run's attempts are those recorded since `runStartedAt`. Embedded: the claim loop on the
   * deliveries' own rows. Inngest spends retries on calls that never reached the attempt too (this server
   * restarting), so it gets more than the retry policy uses; the attempt number comes from the log.
   */
  deliver: {
    name: "deliver",
    payload: z.object({ deliveryId: uuid, callbackId: uuid, runStartedAt: z.iso.datetime() }),
    inngest: { event: "leadhook/delivery.requested" },
    retries: { limit: 20 },
  },
  /**
   * A stored replay queues its deliveries in batches. `part` counts the Inngest runs that continued it
   * (a run queues a bounded number of batches, then hands on to the next part).
   */
  replay: {
    name: "replay",
    // `part` may be absent (0): replay jobs queued before it existed.
    payload: z.object({ replayId: uuid, part: z.number().int().min(0).optional() }),
    queue: "leadhook-replay",
    inngest: { event: "leadhook/replay.requested" },
    retries: { limit: 10, delaySeconds: 5, backoff: true },
    keepSeconds: 7 * 24 * 60 * 60,
  },
  /** A replay whose job kept failing stops, saying why (pg-boss's dead letter; Inngest: replay's onFailure). */
  replayAbandoned: {
    name: "replay-abandoned",
    payload: z.object({ replayId: uuid }),
    queue: "leadhook-replay-abandoned",
  },
  /** The outbox's safety net: stored events whose hand-off never completed are offered again. */
  resendHandoffs: {
    name: "resend-pending-handoffs",
    payload: scheduled,
    queue: "leadhook-resend-handoffs",
    inngest: {},
    schedule: "* * * * *",
  },
  /** Callbacks whose every delivery failed for CALLBACK_DISABLE_AFTER are turned off. */
  disableFailingCallbacks: {
    name: "disable-failing-callbacks",
    payload: scheduled,
    queue: "leadhook-disable-failing-callbacks",
    inngest: {},
    schedule: "*/5 * * * *",
  },
  /** What is older than RETENTION_DAYS (AUDIT_RETENTION_DAYS for the audit log) is deleted in batches. */
  purgeExpired: {
    name: "purge-expired",
    payload: scheduled,
    queue: "leadhook-purge-expired",
    inngest: {},
    schedule: "*/5 * * * *",
  },
  /**
   * Jobs whose payload did not parse, kept with why for an operator (no worker takes them; pg-boss keeps
   * them as long as any waiting job). Inngest: the run fails at once with the same reason.
   */
  deadLetter: {
    name: "dead-letter",
    payload: z.object({ job: z.string(), jobId: z.string(), data: z.unknown(), reason: z.string() }),
    queue: "leadhook-dead-letter",
  },
} as const satisfies Record<string, JobDefinition>;

export type JobPayload<J extends JobDefinition> = z.output<J["payload"]>;

/** A job whose payload does not parse: it is dead-lettered with `reason`, never run and never retried. */
export class MalformedJobError extends Error {
  constructor(
    readonly job: string,
    readonly reason: string,
  ) {
    super(`malformed ${job} job: ${reason}`);
    this.name = "MalformedJobError";
  }
}

/** The job's payload as its schema reads it, or a MalformedJobError saying what is wrong. */
export function parseJob<J extends JobDefinition>(job: J, data: unknown): JobPayload<J> {
  const result = job.payload.safeParse(data);
  if (!result.success)
    throw new MalformedJobError(job.name, z.prettifyError(result.error).replace(/\n/g, "; "));
  return result.data as JobPayload<J>;
}
