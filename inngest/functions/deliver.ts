import { NonRetriableError, RetryAfterError } from "inngest";
import { performDeliveryAttempt } from "@/delivery/attempt";
import { getEnv } from "@/lib/env";
import { isFinalAttempt, nextStep, retryPolicyFrom } from "@/lib/webhooks/retry-policy";
import { inngest } from "../client";
import { deliveryRequested, deliveryRequestedData } from "../events";

const env = getEnv();
const policy = retryPolicyFrom(env);
type Retries = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20;
export const DELIVERY_RETRIES = env.DELIVERY_MAX_RETRIES as Retries;

/**
 * Attempts one delivery. The shared retry policy decides what follows: a retry throws RetryAfterError
 * with the policy's delay (the receiver's Retry-After, or leadhook's backoff), so Inngest waits exactly
 * as the embedded engine would; 410 Gone and forbidden addresses stop at once. At most
 * DELIVERY_CONCURRENCY requests per callback are in flight, so one slow receiver cannot starve others.
 */
export const deliver = inngest.createFunction(
  {
    id: "deliver",
    name: "Deliver a webhook to one callback",
    triggers: [deliveryRequested],
    retries: DELIVERY_RETRIES,
    concurrency: [{ key: "event.data.callbackId", limit: env.DELIVERY_CONCURRENCY }],
  },
  async ({ event, step, attempt }) => {
    const { deliveryId } = deliveryRequestedData.parse(event.data);
    const attemptNumber = attempt + 1;
    const summary = await step.run("attempt", async () => {
      const result = await performDeliveryAttempt(deliveryId, {
        attemptNumber,
        final: isFinalAttempt(attemptNumber, policy),
      });
      const message = `Attempt ${attemptNumber}: ${result.errorMessage ?? result.outcome}`;
      const next = nextStep(result, attemptNumber, policy);
      // An absolute time: a relative delay travels as whole seconds, which the server may round down.
      if (next.kind === "retry") throw new RetryAfterError(message, new Date(Date.now() + next.delayMs));
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
