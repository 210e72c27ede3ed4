import "server-only";
import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import { getEnv } from "@/lib/env";
import { type Executor, getDb } from "../index";
import { deliveries, deliveryAttempts, leads, leadUpdateCallbacks, replays } from "../schema";

/**
 * Replays of the process (of every process: the retention purge, before it deletes their deliveries) whose
 * every delivery has settled get their final counts (later replays may take those deliveries over) and
 * their end time; a delivering one becomes finished. A cancelled one waits out the attempts that were in
 * flight when it was cancelled (they end within the delivery timeout).
 */
export async function settleReplays(exec: Executor, processId: string | null): Promise<void> {
  const inFlightMs = getEnv().DELIVERY_TIMEOUT_MS + 5000;
  await exec.execute(sql`
    update ${replays} r set
      status = case when r.status = 'delivering' then 'finished'::replay_status else r.status end,
      finished_at = now(),
      succeeded = (select count(*) from ${deliveries} d where d.replay_id = r.id and d.status = 'succeeded'),
      failed = (select count(*) from ${deliveries} d where d.replay_id = r.id and d.status = 'failed')
    where ${processId === null ? sql`true` : sql`r.process_id = ${processId}::uuid`} and r.finished_at is null
      and (r.status = 'delivering'
        or (r.status = 'cancelled' and r.cancelled_at < now() - make_interval(secs => ${inFlightMs / 1000})))
      and not exists (select 1 from ${deliveries} d
        where d.replay_id = r.id and d.status in ('pending', 'retrying'))`);
}

/** The process's latest replays, newest first, with their progress (live until they settle). */
export async function listReplays(processId: string, limit = 20) {
  const db = await getDb();
  await settleReplays(db, processId);
  // Column references inside a select's subquery render unqualified, so the outer one is spelled out.
  const count = (status: string) =>
    sql<number>`(select count(*)::int from ${deliveries} d where d.replay_id = "replays"."id" and d.status = ${status})`;
  const rows = await db
    .select({
      replay: replays,
      pending: sql<number>`(select count(*)::int from ${deliveries} d
        where d.replay_id = "replays"."id" and d.status in ('pending', 'retrying'))`,
      succeeded: count("succeeded"),
      failed: count("failed"),
    })
    .from(replays)
    .where(eq(replays.processId, processId))
    .orderBy(desc(replays.createdAt), desc(replays.id))
    .limit(limit);
  return rows.map(({ replay, pending, succeeded, failed }) => ({
    ...replay,
    inFlight: replay.finishedAt ? 0 : Number(pending),
    succeeded: replay.finishedAt ? (replay.succeeded ?? 0) : Number(succeeded),
    failed: replay.finishedAt ? (replay.failed ?? 0) : Number(failed),
  }));
}

/** The process's callbacks as the replay form lists them (no secrets). */
export async function listReplayCallbacks(processId: string) {
  const db = await getDb();
  return db
    .select({
      id: leadUpdateCallbacks.id,
      position: leadUpdateCallbacks.position,
      name: leadUpdateCallbacks.name,
      url: leadUpdateCallbacks.url,
      enabled: leadUpdateCallbacks.enabled,
    })
    .from(leadUpdateCallbacks)
    .where(eq(leadUpdateCallbacks.processId, processId))
    .orderBy(leadUpdateCallbacks.position);
}

/** The lead statuses and dispositions the process's leads have, for the form's suggestions. */
export async function leadValuesOf(processId: string, limit = 50) {
  const db = await getDb();
  const distinct = async (column: typeof leads.status | typeof leads.disposition) =>
    (
      await db
        .selectDistinct({ value: column })
        .from(leads)
        .where(and(eq(leads.processId, processId), isNotNull(column)))
        .orderBy(column)
        .limit(limit)
    ).map((r) => r.value as string);
  const [statuses, dispositions] = await Promise.all([distinct(leads.status), distinct(leads.disposition)]);
  return { statuses, dispositions };
}

/**
 * Where a replay for a callback switched back on should start: its last successful delivery (what
 * failed or was missed since), or when it was added if none ever succeeded.
 */
export async function replaySinceFor(callbackId: string): Promise<Date | undefined> {
  const db = await getDb();
  const result = await db.execute(sql`
    select coalesce(
      (select a.started_at from ${deliveryAttempts} a
        where a.callback_id = c.id and a.outcome = 'succeeded' order by a.started_at desc limit 1),
      c.created_at) as since
    from ${leadUpdateCallbacks} c where c.id = ${callbackId}::uuid`);
  const since = (result as unknown as { rows: { since: string | Date }[] }).rows[0]?.since;
  return since ? new Date(since) : undefined;
}
