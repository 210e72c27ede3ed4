import "server-only";
import { and, asc, eq, isNotNull, sql } from "drizzle-orm";
import type { AutoDisabledCallback, CallbackHealth } from "@/lib/callback-health";
import { isUuid } from "@/lib/uuid";
import { getDb } from "../index";
import { deliveryAttempts, leadUpdateCallbacks, processes } from "../schema";

const DAY_MS = 24 * 60 * 60 * 1000;

/** A timestamptz as epoch milliseconds: both drivers answer a plain number for float8. */
const epochMs = (value: ReturnType<typeof sql>) => sql`(extract(epoch from ${value}) * 1000)::float8`;
const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

type Row = {
  id: string;
  process_id: string;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: number | null;
  deliveries: number;
  succeeded: number;
  attempts: number;
  failed_attempts: number;
  median_latency_ms: number | null;
  last_success_at: number | null;
  consecutive_failures: number;
};

/**
 * The health of every callback of the given processes, in one query, in process and position order:
 * over the last 24 hours the deliveries attempted, how many were delivered, their attempts, how many of
 * those failed and their median latency; over all time the last success and the attempts since it. Skipped attempts (a callback turned off) never count.
 */
export async function getCallbackHealth(
  processIds: string[],
  now = new Date(),
  /** Only this callback (the delivery list's refresh), not all of the processes' callbacks. */
  onlyCallbackId?: string,
): Promise<CallbackHealth[]> {
  const ids = processIds.filter(isUuid);
  if (!ids.length) return [];
  const db = await getDb();
  const since = new Date(now.getTime() - DAY_MS).toISOString();
  // Each lateral reads one callback's attempts by delivery_attempts_callback_idx (callback, time): the
  // last 24 hours, back to the last success, and from it to now.
  const result = await db.execute(sql`
    select c.id, c.process_id, c.enabled, c.disabled_reason, ${epochMs(sql`c.disabled_at`)} as disabled_at,
      coalesce(s.deliveries, 0) as deliveries, coalesce(s.succeeded, 0) as succeeded,
      coalesce(s.attempts, 0) as attempts, coalesce(s.failed_attempts, 0) as failed_attempts, s.median_latency_ms,
      ${epochMs(sql`ls.at`)} as last_success_at, coalesce(f.failures, 0) as consecutive_failures
    from ${leadUpdateCallbacks} c
    left join lateral (
      select count(distinct a.delivery_id)::int as deliveries,
        count(distinct a.delivery_id) filter (where a.outcome = 'succeeded')::int as succeeded,
        count(*)::int as attempts, count(*) filter (where a.outcome <> 'succeeded')::int as failed_attempts,
        (percentile_cont(0.5) within group (order by a.latency_ms))::float8 as median_latency_ms
      from ${deliveryAttempts} a
      where a.callback_id = c.id and a.started_at >= ${since}::timestamptz and a.outcome <> 'skipped'
    ) s on true
    left join lateral (
      select a.started_at as at from ${deliveryAttempts} a
      where a.callback_id = c.id and a.outcome = 'succeeded'
      order by a.started_at desc limit 1
    ) ls on true
    left join lateral (
      select count(*)::int as failures from ${deliveryAttempts} a
      where a.callback_id = c.id and a.outcome <> 'skipped'
        and a.started_at > coalesce(ls.at, '-infinity'::timestamptz)
    ) f on true
    where c.process_id = any(${sql.param(ids)}::uuid[])
      ${onlyCallbackId ? sql`and c.id = ${onlyCallbackId}::uuid` : sql``}
    order by c.process_id, c.position`);
  const { rows } = result as unknown as { rows: Row[] };
  return rows.map((row) => ({
    callbackId: row.id,
    processId: row.process_id,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    disabledAt: iso(row.disabled_at),
    deliveries: Number(row.deliveries),
    succeeded: Number(row.succeeded),
    attempts: Number(row.attempts),
    failedAttempts: Number(row.failed_attempts),
    medianLatencyMs: row.median_latency_ms === null ? null : Number(row.median_latency_ms),
    lastSuccessAt: iso(row.last_success_at),
    consecutiveFailures: Number(row.consecutive_failures),
  }));
}

/** The callbacks of a workspace that leadhook turned off by itself and nobody has enabled since. */
export async function listAutoDisabledCallbacks(workspaceId: string): Promise<AutoDisabledCallback[]> {
  const db = await getDb();
  return db
    .select({
      processId: processes.id,
      processName: processes.name,
      position: leadUpdateCallbacks.position,
      name: leadUpdateCallbacks.name,
      reason: leadUpdateCallbacks.disabledReason,
    })
    .from(leadUpdateCallbacks)
    .innerJoin(processes, eq(processes.id, leadUpdateCallbacks.processId))
    .where(
      and(
        eq(processes.workspaceId, workspaceId),
        eq(leadUpdateCallbacks.enabled, false),
        isNotNull(leadUpdateCallbacks.disabledAt),
      ),
    )
    .orderBy(asc(processes.name), asc(processes.id), asc(leadUpdateCallbacks.position));
}
