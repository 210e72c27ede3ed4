import "server-only";
import { markDeliveryNotSent } from "@/db/queries/deliveries";
import { getDeliveryForAttempt, recordAttempt } from "@/db/queries/delivery-attempts";
import { replayCancelledReason } from "@/db/queries/replays";
import { deliveryCredentials } from "@/lib/callback-secrets";
import { getEnv } from "@/lib/env";
import { getSecretsKey } from "@/lib/secrets-key";
import { deliverWebhook } from "@/lib/webhooks/deliver";
import { isFinalAttempt, nextStep, type RetryPolicy } from "@/lib/webhooks/retry-policy";
import { disableIfFailing } from "./auto-disable";

export type AttemptSummary = {
  deliveryId: string;
  status: "succeeded" | "retrying" | "failed" | "skipped";
  outcome: "succeeded" | "retry" | "gone" | "refused" | "skipped";
  responseStatus: number | null;
  latencyMs: number;
  errorClass: string | null;
  errorMessage: string | null;
  responseExcerpt: string | null;
  retryAfterMs: number | null;
};

/** The webhook-id receivers see: stable for a delivery across retries and redeliveries. */
export function webhookIdFor(deliveryId: string): string {
  return `msg_${deliveryId.replaceAll("-", "")}`;
}

/**
 * Makes one attempt of a stored delivery and records it: the one path that delivers over HTTP, used by
 * the delivery function and by "Send test". The summary carries ids and outcomes, never secrets or bodies
 * beyond the 2 KB excerpt already kept in the log.
 */
export async function performDeliveryAttempt(
  deliveryId: string,
  { attemptNumber, final }: { attemptNumber: number; final: boolean },
): Promise<AttemptSummary> {
  const row = await getDeliveryForAttempt(deliveryId);
  const skipped = (message: string): AttemptSummary => ({
    deliveryId,
    status: "skipped",
    outcome: "skipped",
    responseStatus: null,
    latencyMs: 0,
    errorClass: null,
    errorMessage: message,
    responseExcerpt: null,
    retryAfterMs: null,
  });
  if (!row) return skipped("The delivery no longer exists (its callback or process was deleted)");
  const { delivery, callback } = row;
  if (!delivery.isTest) {
    // Not sent, and said so on the delivery: otherwise it would read pending for ever.
    const notSent = !callback.enabled
      ? "Not sent: the callback was turned off before this attempt."
      : delivery.replayCancelled
        ? replayCancelledReason
        : null;
    if (notSent) {
      await markDeliveryNotSent(deliveryId, notSent);
      return skipped(notSent);
    }
  }

  const env = getEnv();
  const result = await deliverWebhook(
    {
      url: callback.url,
      webhookId: webhookIdFor(delivery.id),
      body: delivery.body,
      ...deliveryCredentials(callback, getSecretsKey(env)),
      requiresWhitelisting: callback.requiresWhitelisting,
    },
    {
      timeoutMs: env.DELIVERY_TIMEOUT_MS,
      allowPrivateUrls: env.ALLOW_PRIVATE_CALLBACK_URLS,
      egressProxyUrl: env.CALLBACK_EGRESS_PROXY_URL,
    },
  );
  const status = await recordAttempt(deliveryId, attemptNumber, result, final, callback.requiresWhitelisting);
  // Not awaited: the check is throttled per callback, never rejects, and must not hold the delivery job.
  if (status !== "succeeded" && !delivery.isTest) void disableIfFailing(callback.id);
  const { requestHeaders: _, startedAt: __, ...outcome } = result;
  return { deliveryId, status, ...outcome };
}

/**
 * Attempt `attemptNumber` of a delivery's run under the retry policy: the attempt (recorded as final when
 * the policy allows no more) and what the engine must do next. Both engines run attempts through this.
 */
export async function attemptUnderPolicy(deliveryId: string, attemptNumber: number, policy: RetryPolicy) {
  const summary = await performDeliveryAttempt(deliveryId, {
    attemptNumber,
    final: isFinalAttempt(attemptNumber, policy),
  });
  return { summary, next: nextStep(summary, attemptNumber, policy) };
}
