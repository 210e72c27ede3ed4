import { NonRetriableError, RetryAfterError } from "inngest";
import { markDeliveryAbandoned } from "@/db/queries/deliveries";
import { countAttemptsSince } from "@/db/queries/delivery-attempts";
import { attemptUnderPolicy } from "@/delivery/attempt";
import { getEnv } from "@/lib/env";
import { retryPolicyFrom } from "@/lib/webhooks/retry-policy";
import { inngest } from "../client";
import { deliveryRequested, deliveryRequestedData } from "../events";

const env = getEnv();
const policy = retryPolicyFrom(env);

/**
 * Inngest's retries for this function: all it allows, more than the policy's. Inngest also spends them
 * on calls that never reached the attempt (this server down or restarting), so the attempt number comes
 * from the delivery log, not from Inngest's counter; the spare ones cover those.
 */
export const ENGINE_RETRIES = 20;

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
    retries: ENGINE_RETRIES,
    concurrency: [{ key: "event.data.callbackId", limit: env.DELIVERY_CONCURRENCY }],
    onFailure: async ({ event, error }) => {
      const { deliveryId } = deliveryRequestedData.parse(event.data.event.data);
      await markDeliveryAbandoned(deliveryId, error.message);
    },
  },
  async ({ event, step }) => {
    const { deliveryId, runStartedAt } = deliveryRequestedData.parse(event.data);
    const summary = await step.run("attempt", async () => {
      const attemptNumber = (await countAttemptsSince(deliveryId, new Date(runStartedAt))) + 1;
      const { summary: result, next } = await attemptUnderPolicy(deliveryId, attemptNumber, policy);
      const message = `Attempt ${attemptNumber}: ${result.errorMessage ?? result.outcome}`;
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
