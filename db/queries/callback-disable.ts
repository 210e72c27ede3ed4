import "server-only";
import { eq, inArray, sql } from "drizzle-orm";
import { failingReason, goneReason } from "@/lib/callback-health";
import { callbackLabelWithUrl } from "@/lib/callback-label";
import type { Duration } from "@/lib/duration";
import { getDb, type Transaction } from "../index";
import { deliveryAttempts, leadUpdateCallbacks, processes } from "../schema";
import { type AuditRecord, automaticContext, recordAudit } from "./audit-log";

type Due = {
  id: string;
  process_id: string;
  workspace_id: string;
  position: number;
  name: string | null;
  url: string;
  /** The first failed attempt of the run, as epoch milliseconds. */
  since: number;
};

export type AutoDisabled = { callbackId: string; processId: string; reason: string };

const disabledRecord = (
  cb: { id: string; position: number; name: string | null; url: string },
  reason: string,
): AuditRecord => ({
  action: "callback.disabled",
  targetType: "callback",
  targetId: cb.id,
  targetLabel: callbackLabelWithUrl(cb),
  details: { automatic: true, reason },
});

/**
 * Turns off every enabled callback whose every attempt has failed for `period`: it has failed attempts
 * within the period and no success, and the run of failures started before the period began. A run
 * starts after the last success, or after the callback was last saved (re-enabling it, or fixing its
 * URL, gives it a whole period again). One transaction: the callbacks (one UPDATE for all), their
 * processes' versions (a form opened before must not silently re-enable them) and an audit entry each.
 * Running it again changes nothing; callbacks a save is changing right now wait for the next run.
 * `callbackIds` narrows the check to those callbacks (one that just failed), under the same rule.
 */
export async function disableFailingCallbacks(
  period: Duration,
  now = new Date(),
  { callbackIds }: { callbackIds?: string[] } = {},
): Promise<AutoDisabled[]> {
  if (callbackIds?.length === 0) return [];
  const db = await getDb();
  const cutoff = new Date(now.getTime() - period.ms).toISOString();
  const only = callbackIds ? sql`and c.id = any(${sql.param(callbackIds)}::uuid[])` : sql.empty();
  return db.transaction(async (tx) => {
    // Per enabled callback, three probes of delivery_attempts_callback_idx (callback, time): its latest
    // attempt (which must be a failure within the period: a healthy callback drops out here), its last
    // success, and the first attempt after that success or its last save. Their processes are locked with them,
    // before any write, in the order a save takes them.
    const found = await tx.execute(sql`
      select c.id, c.process_id, p.workspace_id, c.position, c.name, c.url,
        (extract(epoch from run.since) * 1000)::float8 as since
      from ${leadUpdateCallbacks} c
      join ${processes} p on p.id = c.process_id
      cross join lateral (
        select a.outcome, a.started_at from ${deliveryAttempts} a
        where a.callback_id = c.id and a.outcome <> 'skipped'
        order by a.started_at desc limit 1
      ) latest
      cross join lateral (
        select coalesce((
          select a.started_at from ${deliveryAttempts} a
          where a.callback_id = c.id and a.outcome = 'succeeded'
          order by a.started_at desc limit 1
        ), '-infinity'::timestamptz) as at
      ) success
      cross join lateral (
        select a.started_at as since from ${deliveryAttempts} a
        where a.callback_id = c.id and a.outcome <> 'skipped'
          and a.started_at > greatest(c.updated_at, success.at)
        order by a.started_at limit 1
      ) run
      where c.enabled ${only} and latest.outcome <> 'succeeded' and latest.started_at > ${cutoff}::timestamptz
        and success.at <= ${cutoff}::timestamptz and run.since <= ${cutoff}::timestamptz
      for update of p, c skip locked`);
    const due = (found as unknown as { rows: Due[] }).rows;
    if (!due.length) return [];

    const reasons = due.map((cb) => failingReason(period.label, new Date(Number(cb.since))));
    await tx
      .update(processes)
      .set({ version: sql`${processes.version} + 1` })
      .where(inArray(processes.id, [...new Set(due.map((cb) => cb.process_id))]));
    await tx.execute(sql`
      update ${leadUpdateCallbacks} c
      set enabled = false, disabled_reason = v.reason, disabled_at = ${now.toISOString()}::timestamptz,
        updated_at = now()
      from unnest(${sql.param(due.map((cb) => cb.id))}::uuid[], ${sql.param(reasons)}::text[]) as v (id, reason)
      where c.id = v.id`);

    const byWorkspace = new Map<string, AuditRecord[]>();
    for (const [i, cb] of due.entries()) {
      const records = byWorkspace.get(cb.workspace_id) ?? [];
      records.push(disabledRecord(cb, reasons[i] as string));
      byWorkspace.set(cb.workspace_id, records);
    }
    for (const [workspaceId, records] of byWorkspace) {
      await recordAudit(tx, automaticContext(workspaceId), ...records);
    }
    return due.map((cb, i) => ({
      callbackId: cb.id,
      processId: cb.process_id,
      reason: reasons[i] as string,
    }));
  });
}

/**
 * Turns a callback off because its receiver answered 410 Gone, in the transaction that records that
 * answer, with an audit entry. The process first, as a save takes them, so neither waits on the other.
 */
export async function disableGoneCallback(tx: Transaction, callbackId: string): Promise<void> {
  const now = new Date();
  const reason = goneReason(now);
  // Bumping the process version makes a form opened before this refuse to silently re-enable it.
  const [process] = await tx
    .update(processes)
    .set({ version: sql`${processes.version} + 1` })
    .where(eq(processes.id, sql`(select process_id from ${leadUpdateCallbacks} where id = ${callbackId})`))
    .returning({ workspaceId: processes.workspaceId });
  const [callback] = await tx
    .update(leadUpdateCallbacks)
    .set({ enabled: false, disabledReason: reason, disabledAt: now, updatedAt: sql`now()` })
    .where(eq(leadUpdateCallbacks.id, callbackId))
    .returning({
      id: leadUpdateCallbacks.id,
      position: leadUpdateCallbacks.position,
      name: leadUpdateCallbacks.name,
      url: leadUpdateCallbacks.url,
    });
  if (process && callback)
    await recordAudit(tx, automaticContext(process.workspaceId), disabledRecord(callback, reason));
}
