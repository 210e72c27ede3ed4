import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/uuid";
import { getDb, sqlState, type Transaction } from "../index";
import { deliveries, type Replay, replays } from "../schema";
import { type AuditContext, recordAudit } from "./audit-log";
import { buildDeliveries } from "./deliveries";
import { settleReplays } from "./replay-list";
import { countReplayTargets, nextReplayTargets, type ReplayScope } from "./replay-targets";

/** A run of a delivery for the engine to queue: `eventId` marks its first run, keyed as the fan-out keys it. */
export type ReplayRun = { deliveryId: string; callbackId: string; eventId?: string };

/** Deliveries a replay queues per batch (one transaction, one engine call). */
export const REPLAY_BATCH = 200;

export const replayCancelledReason = "Not sent: the replay that queued it was cancelled.";

function scopeOf(replay: Replay): ReplayScope {
  return {
    processId: replay.processId,
    callbackId: replay.callbackId,
    since: replay.since,
    until: replay.until,
    eventTypes: replay.eventTypes,
    leadStatus: replay.leadStatus,
    disposition: replay.disposition,
    includeSucceeded: replay.includeSucceeded,
  };
}

/** How many deliveries a replay with this scope would send now (the form's preview). */
export async function previewReplay(scope: ReplayScope) {
  return countReplayTargets(await getDb(), scope);
}

/**
 * Starts a replay: counts what it will send, stores it, audits it and hands it to `queue` (the engine) in
 * one transaction, so a replay is never stored without being queued. One replay of a process queues at a
 * time (`conflict` otherwise); nothing matching is `invalid_request`.
 */
export async function startReplay(
  workspaceId: string,
  scope: ReplayScope,
  startedBy: string,
  queue: (tx: Transaction, replayId: string) => Promise<void>,
  audit: { context: AuditContext; targetLabel: string },
): Promise<{ id: string; total: number }> {
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      await settleReplays(tx, scope.processId);
      const { again, missed } = await countReplayTargets(tx, scope);
      const total = again + missed;
      if (total === 0) {
        throw new AppError(
          "invalid_request",
          "Nothing matches these filters, so there is nothing to replay.",
        );
      }
      const [row] = await tx
        .insert(replays)
        .values({ workspaceId, ...scope, total, startedBy })
        .returning({ id: replays.id });
      if (!row) throw new Error("Insert returned no row");
      await recordAudit(tx, audit.context, {
        action: "replay.started",
        targetType: "replay",
        targetId: row.id,
        targetLabel: audit.targetLabel,
        details: { total, again, missed, since: scope.since.toISOString(), until: scope.until.toISOString() },
      });
      await queue(tx, row.id);
      return { id: row.id, total };
    });
  } catch (error) {
    if (sqlState(error) === "23505") {
      throw new AppError(
        "conflict",
        "Another replay of this process is still queueing. Wait for it to finish queueing, or cancel it.",
      );
    }
    throw error;
  }
}

/**
 * Queues the next batch of a replay, in one transaction: marks its deliveries pending (the sent-again ones)
 * or creates them (events its callbacks missed), all carrying the replay's id, and hands them to `queue`.
 * "more" when it queued some, "done" when nothing was left (the replay is then delivering), "stopped" when
 * it was cancelled, "missing" when it does not exist (deleted, or not committed yet).
 */
export async function queueReplayBatch(
  replayId: string,
  queue: (tx: Transaction, runs: ReplayRun[]) => Promise<void>,
  limit = REPLAY_BATCH,
): Promise<"more" | "done" | "stopped" | "missing"> {
  if (!isUuid(replayId)) return "missing";
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [replay] = await tx.select().from(replays).where(eq(replays.id, replayId)).for("update");
    if (!replay) return "missing";
    if (replay.status !== "queueing") return "stopped";
    const targets = await nextReplayTargets(tx, replay.id, scopeOf(replay), limit);
    const runs: ReplayRun[] = [];

    const again = targets.flatMap((t) => (t.kind === "again" ? [t.deliveryId] : []));
    if (again.length) {
      const updated = await tx
        .update(deliveries)
        .set({ status: "pending", replayId: replay.id, updatedAt: sql`now()` })
        .where(inArray(deliveries.id, again))
        .returning({ id: deliveries.id, callbackId: deliveries.callbackId });
      runs.push(...updated.map((d) => ({ deliveryId: d.id, callbackId: d.callbackId })));
    }
    const missed = targets.flatMap((t) => (t.kind === "missed" ? [t] : []));
    if (missed.length) {
      const wanted = new Set(missed.map((t) => `${t.eventId}|${t.callbackId}`));
      const values = (
        await buildDeliveries(
          tx,
          [...new Set(missed.map((t) => t.eventId))],
          [...new Set(missed.map((t) => t.callbackId))],
        )
      ).filter((v) => wanted.has(`${v.eventId}|${v.callbackId}`));
      if (values.length) {
        const created = await tx
          .insert(deliveries)
          .values(values.map((v) => ({ ...v, replayId: replay.id })))
          .onConflictDoNothing({ target: [deliveries.eventId, deliveries.callbackId] })
          .returning({ id: deliveries.id, callbackId: deliveries.callbackId, eventId: deliveries.eventId });
        runs.push(
          ...created.map((d) => ({
            deliveryId: d.id,
            callbackId: d.callbackId,
            eventId: d.eventId ?? undefined,
          })),
        );
      }
    }

    if (!runs.length) {
      await tx.update(replays).set({ status: "delivering" }).where(eq(replays.id, replay.id));
      return "done";
    }
    await queue(tx, runs);
    await tx
      .update(replays)
      .set({ queued: sql`${replays.queued} + ${runs.length}` })
      .where(eq(replays.id, replay.id));
    return "more";
  });
}

/**
 * Cancels a replay of the process: it queues nothing more, and what it queued but has not sent is marked
 * failed and skipped when its turn comes. Attempts in flight finish. False when there is no such replay
 * still running.
 */
export async function cancelReplay(
  processId: string,
  replayId: string,
  audit: { context: AuditContext; targetLabel: string },
): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(replays)
      .set({ status: "cancelled", cancelledAt: sql`now()` })
      .where(
        and(
          eq(replays.id, replayId),
          eq(replays.processId, processId),
          inArray(replays.status, ["queueing", "delivering"]),
        ),
      )
      .returning({ id: replays.id });
    if (!row) return false;
    await tx
      .update(deliveries)
      .set({ status: "failed", lastError: replayCancelledReason, dueAt: null, updatedAt: sql`now()` })
      .where(and(eq(deliveries.replayId, row.id), inArray(deliveries.status, ["pending", "retrying"])));
    await recordAudit(tx, audit.context, {
      action: "replay.cancelled",
      targetType: "replay",
      targetId: row.id,
      targetLabel: audit.targetLabel,
    });
    return true;
  });
}

/**
 * Records that the engine gave up queueing a replay: it stops queueing (what it queued still runs) and the
 * page says why.
 */
export async function abandonReplay(replayId: string, reason: string): Promise<void> {
  if (!isUuid(replayId)) return;
  const db = await getDb();
  await db
    .update(replays)
    .set({
      status: "delivering",
      error: `The delivery engine stopped queueing this replay (${reason.slice(0, 300)}). Start a new replay for the rest.`,
    })
    .where(and(eq(replays.id, replayId), eq(replays.status, "queueing")));
}
