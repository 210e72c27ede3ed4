"use server";

import { defineAction, idArg } from "@/auth/action";
import { auditContext, type Member } from "@/auth/member";
import { getCallbackHealth } from "@/db/queries/callback-health";
import { getCallbackOfProcess } from "@/db/queries/callbacks";
import { createTestDelivery, requeueDelivery } from "@/db/queries/deliveries";
import { getDeliveryDetail, hourlySuccess, listRecentDeliveries } from "@/db/queries/delivery-log";
import { performDeliveryAttempt } from "@/delivery/attempt";
import { getEngine } from "@/delivery/runtime";
import { callbackLabelWithUrl } from "@/lib/callback-label";
import { getEnv } from "@/lib/env";
import { AppError, messages } from "@/lib/errors";
import { failureHint, type HintContext } from "@/lib/webhooks/hints";
import { buildSamplePayload } from "@/lib/webhooks/sample";

async function callbackOf(member: Member, processId: string, callbackId: string) {
  const found = await getCallbackOfProcess(member.workspace.id, processId, callbackId);
  if (!found) throw new AppError("not_found", messages.callbackGone);
  return { ...found, label: callbackLabelWithUrl(found.callback) };
}

/**
 * What a failure hint needs to know, read here so the browser never sees the server's settings. The
 * whitelisting setting is the attempt's, when it was recorded, else the callback's now.
 */
function hintContext(
  callback: { requiresWhitelisting: boolean },
  attempt?: { requiresWhitelisting: boolean | null },
): HintContext {
  return {
    requiresWhitelisting: attempt?.requiresWhitelisting ?? callback.requiresWhitelisting,
    egressIps: getEnv().CALLBACK_EGRESS_IPS,
  };
}

/** A failing delivery's last failure in words. A delivery keeps its last status and message, not the class. */
function lastFailureHint(
  delivery: { status: string; lastResponseStatus: number | null; lastError: string | null },
  context: HintContext,
): string | null {
  if (delivery.status !== "failed" && delivery.status !== "retrying") return null;
  const attempt = {
    outcome: "retry",
    responseStatus: delivery.lastResponseStatus,
    errorClass: null,
    errorMessage: delivery.lastError,
  };
  return failureHint(attempt, context)?.hint ?? null;
}

const deliveryGone = "This delivery no longer exists.";
const ofCallback = [idArg(messages.callbackGone), idArg(messages.callbackGone)] as const;
const ofDelivery = [...ofCallback, idArg(deliveryGone)] as const;

/** "Recent deliveries" and the 24-hour success chart of one callback. */
export const loadDeliveriesAction = defineAction({
  permission: "read",
  args: ofCallback,
  work: async (member, processId, callbackId) => {
    const { callback } = await callbackOf(member, processId, callbackId);
    const [recent, hourly, health] = await Promise.all([
      listRecentDeliveries(callback.id),
      hourlySuccess(callback.id),
      getCallbackHealth([callback.processId], new Date(), callback.id),
    ]);
    return {
      disabledReason: callback.disabledReason,
      // The block's health line refreshes with the list under it.
      health: health[0] ?? null,
      recent: recent.map(({ requiresWhitelisting, ...d }) => ({
        ...d,
        hint: lastFailureHint(d, hintContext(callback, { requiresWhitelisting })),
        lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
        nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
        createdAt: d.createdAt.toISOString(),
      })),
      hourly: hourly.map((h) => ({ ...h, hour: h.hour.toISOString() })),
    };
  },
});

/** One delivery: its payload, every attempt with its failure hint, the response excerpts. */
export const loadDeliveryAction = defineAction({
  permission: "read",
  args: ofDelivery,
  work: async (member, processId, callbackId, deliveryId) => {
    const { callback } = await callbackOf(member, processId, callbackId);
    const detail = await getDeliveryDetail(callback.id, deliveryId);
    if (!detail) throw new AppError("not_found", deliveryGone);
    return {
      payload: detail.delivery.payload,
      status: detail.delivery.status,
      attempts: detail.attempts.map((a) => ({
        id: a.id,
        attemptNumber: a.attemptNumber,
        outcome: a.outcome,
        responseStatus: a.responseStatus,
        latencyMs: a.latencyMs,
        errorClass: a.errorClass,
        errorMessage: a.errorMessage,
        responseExcerpt: a.responseExcerpt,
        requestHeaders: a.requestHeaders,
        startedAt: a.startedAt.toISOString(),
        hint: failureHint(a, hintContext(callback, a)),
      })),
    };
  },
});

/** "Send test": a sample event to this callback, now, with the outcome and any failure hint in plain words. */
export const sendTestAction = defineAction({
  permission: "deliveries:test",
  args: ofCallback,
  work: async (member, processId, callbackId) => {
    const { callback, process, label } = await callbackOf(member, processId, callbackId);
    const payload = buildSamplePayload(callback.payloadFormat, { id: process.id, name: process.name });
    const deliveryId = await createTestDelivery(callback.id, payload.type, payload, {
      context: auditContext(member),
      targetLabel: label,
    });
    const summary = await performDeliveryAttempt(deliveryId, { attemptNumber: 1, final: true });
    return { summary: { ...summary, hint: failureHint(summary, hintContext(callback)) } };
  },
});

/** "Redeliver": queue the delivery again; the receiver sees the same webhook-id and body. */
export const redeliverAction = defineAction({
  permission: "deliveries:redeliver",
  args: ofDelivery,
  work: async (member, processId, callbackId, deliveryId) => {
    const { callback, label } = await callbackOf(member, processId, callbackId);
    const engine = await getEngine();
    let queued: boolean;
    try {
      queued = await requeueDelivery(
        callback.id,
        deliveryId,
        (tx, delivery) => engine.redeliver(tx, delivery),
        { context: auditContext(member), targetLabel: label },
      );
    } catch (error) {
      throw new AppError(
        "unavailable",
        "The delivery queue cannot be reached, so the redelivery was not queued and nothing changed. Try again in a minute.",
        { cause: error },
      );
    }
    if (!queued) throw new AppError("not_found", deliveryGone);
    return {};
  },
});
