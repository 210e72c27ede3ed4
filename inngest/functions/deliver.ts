import { NonRetriableError, RetryAfterError } from "inngest";
import { getEnv } from "@/lib/env";
import { inngest } from "../client";
import { performDeliveryAttempt } from "../delivery";
import { deliveryRequested, deliveryRequestedData } from "../events";

const env = getEnv();
type Retries = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20;
export const DELIVERY_RETRIES = env.DELIVERY_MAX_RETRIES as Retries;

/**
 * Attempts one delivery. A failure worth retrying throws, so Inngest retries with backoff (or after the
 * receiver's Retry-After); 410 Gone and forbidden addresses stop at once. At most DELIVERY_CONCURRENCY
 * requests per callback are in flight, so one slow receiver cannot starve the others.
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
    const final = attempt >= DELIVERY_RETRIES;
    const summary = await step.run("attempt", async () => {
      const result = await performDeliveryAttempt(deliveryId, { attemptNumber: attempt + 1, final });
      const message = `Attempt ${attempt + 1}: ${result.errorMessage ?? result.outcome}`;
      if (result.outcome === "retry" && !final) {
        throw result.retryAfterMs ? new RetryAfterError(message, result.retryAfterMs) : new Error(message);
      }
      if (result.outcome === "gone" || result.outcome === "refused") throw new NonRetriableError(message);
      // Step output: ids and codes only.
      const { responseExcerpt: _, ...rest } = result;
      return rest;
    });
    return summary;
  },
);
