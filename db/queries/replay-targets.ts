import "server-only";
import { type SQL, sql } from "drizzle-orm";
import type { ReplayScope } from "@/lib/validations/replay";
import { subscriptions } from "@/lib/webhooks/payload";
import type { Executor } from "../index";
import { deliveries, events, leadUpdateCallbacks } from "../schema";

export type { ReplayScope };

/** A delivery to send again, or an event a callback never got (it was off), to send for the first time. */
export type ReplayTarget =
  | { kind: "again"; deliveryId: string; callbackId: string }
  | { kind: "missed"; eventId: string; callbackId: string };

/** The events in scope, as a condition on `e` (events). */
function eventsInScope(scope: ReplayScope): SQL {
  const conditions = [
    sql`e.process_id = ${scope.processId}::uuid`,
    sql`e.received_at >= ${scope.since.toISOString()}::timestamptz`,
    sql`e.received_at < ${scope.until.toISOString()}::timestamptz`,
  ];
  if (scope.eventTypes?.length) conditions.push(sql`e.type = any(${sql.param(scope.eventTypes)}::text[])`);
  // The lead as the event left it: what its webhook reported.
  if (scope.leadStatus) conditions.push(sql`e.lead_snapshot->>'status' = ${scope.leadStatus}`);
  if (scope.disposition) conditions.push(sql`e.lead_snapshot->>'disposition' = ${scope.disposition}`);
  return sql.join(conditions, sql` and `);
}

/** The callbacks in scope, as a condition on `c`: on now (a replay to a callback that is off sends nothing). */
function callbacksInScope(scope: ReplayScope): SQL {
  return scope.callbackId
    ? sql`c.process_id = ${scope.processId}::uuid and c.enabled and c.id = ${scope.callbackId}::uuid`
    : sql`c.process_id = ${scope.processId}::uuid and c.enabled`;
}

/** Whether callback `c`'s Payload Format subscribes to event `e`'s type (the rule of lib/webhooks/payload). */
function subscribed(): SQL {
  const formats = Object.entries(subscriptions).map(
    ([format, types]) =>
      sql`(c.payload_format = ${format} and e.type = any(${sql.param([...types])}::text[]))`,
  );
  return sql`(${sql.join(formats, sql` or `)})`;
}

/** Stored deliveries in scope that a replay sends again: failed ones (and succeeded ones if asked), not yet its own. */
function againQuery(scope: ReplayScope, replayId: string | null, select: SQL, tail: SQL = sql``): SQL {
  const statuses = scope.includeSucceeded ? ["failed", "succeeded"] : ["failed"];
  return sql`
    select ${select}
    from ${deliveries} d
    join ${leadUpdateCallbacks} c on c.id = d.callback_id
    join ${events} e on e.id = d.event_id
    where ${callbacksInScope(scope)} and ${eventsInScope(scope)}
      and not d.is_test and d.status::text = any(${sql.param(statuses)}::text[])
      ${replayId ? sql`and d.replay_id is distinct from ${replayId}::uuid` : sql``}
    ${tail}`;
}

/**
 * Events in scope a callback in scope subscribes to but has no delivery for: it was off when they came (or
 * was switched on since). Only events from after the callback was added, and whose fan-out has run.
 */
function missedQuery(scope: ReplayScope, select: SQL, tail: SQL = sql``): SQL {
  return sql`
    select ${select}
    from ${events} e
    join ${leadUpdateCallbacks} c on ${callbacksInScope(scope)}
    where ${eventsInScope(scope)} and e.received_at >= c.created_at and e.handed_off_at is not null
      and e.lead_snapshot is not null and ${subscribed()}
      and not exists (select 1 from ${deliveries} d where d.event_id = e.id and d.callback_id = c.id)
    ${tail}`;
}

/** How many deliveries a replay with this scope would send: again, and for the first time. */
export async function countReplayTargets(exec: Executor, scope: ReplayScope) {
  const count = sql`count(*)::int as n`;
  const [again, missed] = await Promise.all([
    exec.execute(againQuery(scope, null, count)),
    exec.execute(missedQuery(scope, count)),
  ]);
  const n = (result: unknown) => Number((result as { rows: { n: number }[] }).rows[0]?.n ?? 0);
  return { again: n(again), missed: n(missed) };
}

/**
 * The next `limit` targets of replay `replayId`, oldest event first: deliveries to send again (locked, so
 * a concurrent Redeliver waits), then missed events. Deliveries it queued carry its id, so a later call
 * finds the rest, and a repeat after a crash finds what was not queued.
 */
export async function nextReplayTargets(
  exec: Executor,
  replayId: string,
  scope: ReplayScope,
  limit: number,
): Promise<ReplayTarget[]> {
  const againRows = await exec.execute(
    againQuery(
      scope,
      replayId,
      sql`d.id as delivery_id, d.callback_id`,
      sql`order by e.received_at, d.id limit ${limit} for update of d skip locked`,
    ),
  );
  const again = (againRows as unknown as { rows: { delivery_id: string; callback_id: string }[] }).rows;
  const targets: ReplayTarget[] = again.map((r) => ({
    kind: "again",
    deliveryId: r.delivery_id,
    callbackId: r.callback_id,
  }));
  if (targets.length >= limit) return targets;
  const missedRows = await exec.execute(
    missedQuery(
      scope,
      sql`e.id as event_id, c.id as callback_id`,
      sql`order by e.received_at, e.id, c.id limit ${limit - targets.length}`,
    ),
  );
  const missed = (missedRows as unknown as { rows: { event_id: string; callback_id: string }[] }).rows;
  return [
    ...targets,
    ...missed.map((r) => ({ kind: "missed" as const, eventId: r.event_id, callbackId: r.callback_id })),
  ];
}
