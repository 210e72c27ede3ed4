"use server";

import { defineAction, idArg } from "@/auth/action";
import { auditContext, type Member } from "@/auth/member";
import { getProcess } from "@/db/queries/processes";
import { listReplayCallbacks } from "@/db/queries/replay-list";
import type { ReplayScope } from "@/db/queries/replay-targets";
import { cancelReplay, previewReplay, startReplay } from "@/db/queries/replays";
import { getEngine } from "@/delivery/runtime";
import { callbackLabelWithUrl } from "@/lib/callback-label";
import { AppError, messages } from "@/lib/errors";
import { parseUtcMinute, type ReplayValues, replaySchema } from "@/lib/validations/replay";

/** The process (of the member's workspace) and the replay's scope, from the form's values. */
async function scopeFrom(member: Member, processId: string, values: ReplayValues) {
  const process = await getProcess(member.workspace.id, processId);
  if (!process) throw new AppError("not_found", messages.processGone);
  const callbacks = await listReplayCallbacks(process.id);
  const callback =
    values.callbackId === "all" ? undefined : callbacks.find((cb) => cb.id === values.callbackId);
  if (values.callbackId !== "all" && !callback) {
    throw new AppError("not_found", messages.callbackGone);
  }
  if (callback && !callback.enabled) {
    throw new AppError("invalid_request", messages.fixErrors, {
      fieldErrors: { callbackId: "This callback is turned off: switch it on and save before replaying." },
    });
  }
  if (!callback && !callbacks.some((cb) => cb.enabled)) {
    throw new AppError("invalid_request", messages.fixErrors, {
      fieldErrors: {
        callbackId: "Every callback of this process is turned off: there is nothing to replay to.",
      },
    });
  }
  const now = new Date();
  const since = parseUtcMinute(values.from) as Date;
  const to = parseUtcMinute(values.to);
  if (since >= now) {
    throw new AppError("invalid_request", messages.fixErrors, {
      fieldErrors: { from: "From must be in the past" },
    });
  }
  const scope: ReplayScope = {
    processId: process.id,
    callbackId: callback?.id ?? null,
    since,
    until: to && to < now ? to : now,
    eventTypes: values.eventTypes.length ? values.eventTypes : null,
    leadStatus: values.leadStatus || null,
    disposition: values.disposition || null,
    includeSucceeded: values.include === "all",
  };
  const label = callback
    ? `${callbackLabelWithUrl(callback)} of ${process.name}`
    : `Every callback of ${process.name}`;
  return { scope, label };
}

/** How many deliveries the form's replay would send: again, and for the first time (missed while off). */
export const previewReplayAction = defineAction({
  permission: "deliveries:redeliver",
  args: [idArg(messages.processGone), replaySchema],
  work: async (member, processId, values) =>
    previewReplay((await scopeFrom(member, processId, values)).scope),
});

/** Starts a replay on the delivery engine; the Replays page follows its progress. */
export const startReplayAction = defineAction({
  permission: "deliveries:redeliver",
  args: [idArg(messages.processGone), replaySchema],
  work: async (member, processId, values) => {
    const { scope, label } = await scopeFrom(member, processId, values);
    const engine = await getEngine();
    try {
      return await startReplay(
        member.workspace.id,
        scope,
        member.user.name,
        (tx, replayId) => engine.startReplay(tx, replayId),
        { context: auditContext(member), targetLabel: label },
      );
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError(
        "unavailable",
        "The delivery queue cannot be reached, so the replay was not started and nothing changed. Try again in a minute.",
        { cause: error },
      );
    }
  },
});

const replayOver = "This replay has already finished or was cancelled.";

/** Cancels a running replay: nothing more is queued, and what it queued but has not sent is not sent. */
export const cancelReplayAction = defineAction({
  permission: "deliveries:redeliver",
  args: [idArg(messages.processGone), idArg(replayOver)],
  work: async (member, processId, replayId) => {
    const process = await getProcess(member.workspace.id, processId);
    if (!process) throw new AppError("not_found", messages.processGone);
    const cancelled = await cancelReplay(process.id, replayId, {
      context: auditContext(member),
      targetLabel: `Replay of ${process.name}`,
    });
    if (!cancelled) throw new AppError("not_found", replayOver);
    return {};
  },
});
