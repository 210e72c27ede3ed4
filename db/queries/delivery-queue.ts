import "server-only";
import { sql } from "drizzle-orm";
import { isUuid } from "@/lib/uuid";
import { type Executor, getDb } from "../index";
import { deliveries, events } from "../schema";
import { type DeliveryPlan, planDeliveries } from "./deliveries";
import type { DeliveryForAttempt } from "./delivery-attempts";

/**
 * The built-in engine's queue is the deliveries table itself: a delivery is queued while `due_at` is set
 * and claimable once it has come and no server holds it (`locked_until` null or past). One row per
 * delivery, no job row beside it; an attempt's record settles or reschedules it in the statement that
 * logs it (delivery-attempts.ts).
 */

/** A delivery a server holds: what the engine needs to run its next attempt. */
export type ClaimedDelivery = {
  deliveryId: string;
  callbackId: string;
  /** The run the attempt belongs to: an attempt of an older run does not settle a newer one. */
  run: number;
  /** The retry policy's number for this attempt (1 = the run's first). */
  attempt: number;
  /** Times claimed since its last recorded attempt, this claim included. */
  claims: number;
};

type ClaimedRow = { id: string; callback_id: string; run: number; run_attempts: number; claims: number };

const toClaimed = (row: ClaimedRow): ClaimedDelivery => ({
  deliveryId: row.id,
  callbackId: row.callback_id,
  run: Number(row.run),
  attempt: Number(row.run_attempts) + 1,
  claims: Number(row.claims),
});

/**
 * Claims up to `limit` due deliveries, oldest due first, for `lockMs`: rows another server holds are
 * skipped (SKIP LOCKED while claiming, `locked_until` after), and so are the callbacks in `skipCallbacks`
 * (already at their concurrency in this server).
 */
export async function claimDueDeliveries(
  limit: number,
  lockMs: number,
  skipCallbacks: string[] = [],
): Promise<ClaimedDelivery[]> {
  const db = await getDb();
  const skip = skipCallbacks.length
    ? sql`and callback_id <> all(${sql.param(skipCallbacks)}::uuid[])`
    : sql.empty();
  const result = await db.execute(sql`
    update ${deliveries} d
    set locked_until = now() + ${lockMs} * interval '1 millisecond', claims = d.claims + 1
    from (
      select id from ${deliveries}
      where due_at <= now() and (locked_until is null or locked_until < now()) ${skip}
      order by due_at
      limit ${limit}
      for update skip locked
    ) due
    where d.id = due.id
    returning d.id, d.callback_id, d.run, d.run_attempts, d.claims`);
  return (result as unknown as { rows: ClaimedRow[] }).rows.map(toClaimed);
}

/** A delivery the fan-out created held by this server: ready to attempt without reading it again. */
export type HeldDelivery = ClaimedDelivery & { loaded: DeliveryForAttempt };

/**
 * The built-in queue's fan-out of a hand-off, in one read and one statement: creates `eventIds`'
 * deliveries (as createDeliveriesForEvents does) due now, the first `hold` of them held by this server
 * for `lockMs` (it sends those at once, without a claim), and marks the events handed off. Returns the
 * held ones with what their attempt needs; ones that existed (a repeated hand-off) were queued when they
 * were created, and the rest are left for a claim.
 */
export async function queueDeliveriesForEvents(
  eventIds: string[],
  { hold, lockMs }: { hold: number; lockMs: number },
): Promise<{ held: HeldDelivery[]; queued: number }> {
  if (!eventIds.length) return { held: [], queued: 0 };
  const db = await getDb();
  const plans = await planDeliveries(db, eventIds);
  const column = <T>(pick: (plan: DeliveryPlan, index: number) => T) => sql.param(plans.map(pick));
  const result = await db.execute(sql`
    with v as (
      select * from unnest(${column((p) => p.values.callbackId)}::uuid[], ${column((p) => p.values.eventId)}::uuid[],
        ${column((p) => p.values.eventType)}::text[], ${column((p) => p.body)}::text[],
        ${column((_, i) => i < hold)}::boolean[]) as v (callback_id, event_id, event_type, body, held)
    ),
    created as (
      insert into ${deliveries} (callback_id, event_id, event_type, payload, due_at, locked_until)
      select callback_id, event_id, event_type, body::json, now(),
        case when held then now() + ${lockMs} * interval '1 millisecond' end
      from v
      on conflict (event_id, callback_id) do nothing
      returning id, callback_id, event_id, locked_until is not null as held
    ),
    marked as (
      update ${events} set handed_off_at = now(), handoff_attempts = handoff_attempts + 1,
        last_handoff_error = null
      where id = any(${sql.param(eventIds)}::uuid[])
    )
    select id, callback_id, event_id, held from created`);
  const rows = (result as unknown as { rows: CreatedRow[] }).rows;
  const planOf = new Map(plans.map((plan) => [`${plan.values.eventId}|${plan.values.callbackId}`, plan]));
  const held: HeldDelivery[] = [];
  for (const row of rows) {
    const plan = planOf.get(`${row.event_id}|${row.callback_id}`);
    if (!row.held || !plan) continue;
    held.push({
      deliveryId: row.id,
      callbackId: row.callback_id,
      run: 0,
      attempt: 1,
      claims: 0,
      loaded: {
        delivery: { id: row.id, isTest: false, body: plan.body, replayCancelled: false },
        callback: plan.callback,
      },
    });
  }
  return { held, queued: rows.length - held.length };
}

type CreatedRow = { id: string; callback_id: string; event_id: string; held: boolean };

/** Keeps holding deliveries this server still has in hand (a heartbeat), for `lockMs` from now. */
export async function extendLocks(ids: string[], lockMs: number): Promise<void> {
  if (!ids.length) return;
  const db = await getDb();
  await db.execute(sql`
    update ${deliveries} set locked_until = now() + ${lockMs} * interval '1 millisecond'
    where id = any(${sql.param(ids)}::uuid[]) and locked_until is not null`);
}

/** Lets go of deliveries this server will not attempt after all (it is stopping): others take them now. */
export async function releaseLocks(ids: string[]): Promise<void> {
  if (!ids.length) return;
  const db = await getDb();
  await db.execute(sql`
    update ${deliveries} set locked_until = null, claims = greatest(claims - 1, 0)
    where id = any(${sql.param(ids)}::uuid[]) and locked_until is not null`);
}

/**
 * Queues a new run of each delivery inside `tx` (Redeliver, a replay): due now, attempt 1 of a new run,
 * held by nobody. An attempt still in flight from the earlier run records itself without settling it.
 */
export async function queueNewRuns(tx: Executor, ids: string[]): Promise<void> {
  const valid = ids.filter(isUuid);
  if (!valid.length) return;
  await tx.execute(sql`
    update ${deliveries}
    set due_at = now(), locked_until = null, run = run + 1, run_attempts = 0, claims = 0
    where id = any(${sql.param(valid)}::uuid[])`);
}

/** How many deliveries wait on the queue, due or not (the operator's view, and tests). */
export async function countQueuedDeliveries(): Promise<{ queued: number; due: number; held: number }> {
  const db = await getDb();
  const result = await db.execute(sql`
    select count(*)::int as queued, count(*) filter (where due_at <= now())::int as due,
      count(*) filter (where locked_until > now())::int as held
    from ${deliveries} where due_at is not null`);
  const [row] = (result as unknown as { rows: { queued: number; due: number; held: number }[] }).rows;
  return { queued: Number(row?.queued ?? 0), due: Number(row?.due ?? 0), held: Number(row?.held ?? 0) };
}
