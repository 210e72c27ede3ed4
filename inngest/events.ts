import { eventType, NonRetriableError } from "inngest";
import { type JobDefinition, type JobPayload, jobs, MalformedJobError, parseJob } from "@/delivery/jobs";

/** A stored lead-update event is ready to fan out. The Inngest event id is the stored event's id. */
export const eventReceived = eventType(jobs.fanOut.inngest.event, { schema: jobs.fanOut.payload });

/** One run of a delivery should be attempted (jobs.deliver). */
export const deliveryRequested = eventType(jobs.deliver.inngest.event, { schema: jobs.deliver.payload });

/** A stored replay should queue its deliveries (jobs.replay). */
export const replayRequested = eventType(jobs.replay.inngest.event, { schema: jobs.replay.payload });

/**
 * A job's payload as the catalog's schema reads it, where the function starts: one that does not parse
 * fails the run at once (NonRetriableError, with why), never run with a cast payload and never retried.
 */
export function jobPayload<J extends JobDefinition>(job: J, data: unknown): JobPayload<J> {
  try {
    return parseJob(job, data);
  } catch (error) {
    if (error instanceof MalformedJobError) throw new NonRetriableError(error.message, { cause: error });
    throw error;
  }
}
