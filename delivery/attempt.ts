import "server-only";
import { markDeliveryNotSent } from "@/db/queries/deliveries";
import {
  type DeliveryForAttempt,
  getDeliveryForAttempt,
  recordAttempt,
} from "@/db/queries/delivery-attempts";
import { replayCancelledReason } from "@/db/queries/replays";
import { deliveryCredentials } from "@/lib/callback-secrets";
import { getEnv } from "@/lib/env";
import { getSecretsKey } from "@/lib/secrets-key";
import { type AttemptResult, deliverWebhook } from "@/lib/webhooks/deliver";
import { webhookIdFor } from "@/lib/webhooks/payload";
import { isFinalAttempt, type NextStep, nextStep, type RetryPolicy } from "@/lib/webhooks/retry-policy";
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

/**
 * Makes one attempt of a stored delivery and records it: the one path that delivers over HTTP, used by
 * the delivery function and by "Send test". The summary carries ids and outcomes, never secrets or bodies
 * beyond the 2 KB excerpt already kept in the log.
 */
export async function performDeliveryAttempt(
  deliveryId: string,
  {
    attemptNumber,
    final,
    run = null,
    retryInMs,
    loaded,
    sent,
  }: {
    attemptNumber: number;
    final: boolean;
    /** The built-in queue's run this attempt was claimed in; its record settles or reschedules the row. */
    run?: number | null;
    /** The policy's delay before the next attempt after this result, or null for none (queue only). */
    retryInMs?: (result: AttemptResult) => number | null;
    /** The delivery already read (by the fan-out that created it): not read again. */
    loaded?: DeliveryForAttempt;
    /** Called once the request was answered (or failed), before the attempt is recorded. */
    sent?: () => void;
  },
): Promise<AttemptSummary> {
  const row = loaded ?? (await getDeliveryForAttempt(deliveryId));
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
  sent?.();
  const status = await recordAttempt(
    deliveryId,
    attemptNumber,
    result,
    final,
    callback.requiresWhitelisting,
    {
      run,
      retryInMs: run === null ? null : (retryInMs?.(result) ?? null),
    },
  );
  // Not awaited: the check is throttled per callback, never rejects, and must not hold the delivery job.
  if (status !== "succeeded" && !delivery.isTest) void disableIfFailing(callback.id);
  const { requestHeaders: _, startedAt: __, ...outcome } = result;
  return { deliveryId, status, ...outcome };
}

/**
 * Attempt `attemptNumber` of a delivery's run under the retry policy: the attempt (recorded as final when
 * the policy allows no more) and what the engine must do next. Both engines run attempts through this.
 */
export async function attemptUnderPolicy(
  deliveryId: string,
  attemptNumber: number,
  policy: RetryPolicy,
  queue: {
    /** The built-in queue's run: the retry is then scheduled on the row, in the statement that records it. */
    run: number;
    /** The delivery as the fan-out that created it already read it. */
    loaded?: DeliveryForAttempt;
    /** Called once the request was answered (or failed), before the attempt is recorded. */
    sent?: () => void;
  } | null = null,
): Promise<{ summary: AttemptSummary; next: NextStep }> {
  let decided: NextStep | undefined;
  const summary = await performDeliveryAttempt(deliveryId, {
    attemptNumber,
    final: isFinalAttempt(attemptNumber, policy),
    run: queue?.run ?? null,
    loaded: queue?.loaded,
    sent: queue?.sent,
    retryInMs: (result) => {
      decided = nextStep(result, attemptNumber, policy);
      return decided.kind === "retry" ? decided.delayMs : null;
    },
  });
  // Decided once (the backoff's jitter is random): the delay recorded is the one the engine acts on.
  return { summary, next: decided ?? nextStep(summary, attemptNumber, policy) };
}
