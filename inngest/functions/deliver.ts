import { NonRetriableError, RetryAfterError } from "inngest";
import { markDeliveryAbandoned } from "@/db/queries/deliveries";
import { countAttemptsSince } from "@/db/queries/delivery-attempts";
import { attemptUnderPolicy } from "@/delivery/attempt";
import { jobs } from "@/delivery/jobs";
import { getEnv } from "@/lib/env";
import { retryPolicyFrom } from "@/lib/webhooks/retry-policy";
import { inngest } from "../client";
import { deliveryRequested, jobPayload } from "../events";

const env = getEnv();

/**
 * When Inngest is to retry, `delayMs` from `now`: an absolute time (a relative delay travels as whole
 * seconds), rounded up to the whole second, since the Inngest server keeps a retry's time to the second,
 * rounding down (a 1 s wait's retry came after 136 ms): never early, at most 1 s late.
 */
export function retryTime(now: number, delayMs: number): Date {
  return new Date(Math.ceil((now + delayMs) / 1000) * 1000);
}
const policy = retryPolicyFrom(env);

/**
 * Attempts one delivery. The shared retry policy decides what follows: a retry throws RetryAfterError
 * with the policy's delay (the receiver's Retry-After, or leadhook's backoff), so Inngest waits exactly
 * as the embedded engine would; 410 Gone and forbidden addresses stop at once. At most
 * DELIVERY_CONCURRENCY requests per callback are in flight, so one slow receiver cannot starve others.
 */
export const deliver = inngest.createFunction(
  {
    id: jobs.deliver.name,
    name: "Deliver a webhook to one callback",
    triggers: [deliveryRequested],
    retries: jobs.deliver.retries.limit,
    concurrency: [{ key: "event.data.callbackId", limit: env.DELIVERY_CONCURRENCY }],
    onFailure: async ({ event, error }) => {
      // Only the id is needed: a run that failed because the rest of its payload was malformed still
      // marks its delivery failed, with why, instead of leaving it pending.
      const parsed = jobs.deliver.payload.pick({ deliveryId: true }).safeParse(event.data.event.data);
      if (parsed.success) await markDeliveryAbandoned(parsed.data.deliveryId, error.message);
    },
  },
  async ({ event, step }) => {
    const { deliveryId, runStartedAt } = jobPayload(jobs.deliver, event.data);
    const summary = await step.run("attempt", async () => {
      const attemptNumber = (await countAttemptsSince(deliveryId, new Date(runStartedAt))) + 1;
      const { summary: result, next } = await attemptUnderPolicy(deliveryId, attemptNumber, policy);
      const message = `Attempt ${attemptNumber}: ${result.errorMessage ?? result.outcome}`;
      if (next.kind === "retry") throw new RetryAfterError(message, retryTime(Date.now(), next.delayMs));
      if (next.kind === "stop" && (next.reason === "gone" || next.reason === "refused")) {
        throw new NonRetriableError(message);
      }
      // Step output: ids and codes only.
      const { responseExcerpt: _, ...rest } = result;
      return rest;
    });
    return summary;
  },
);
