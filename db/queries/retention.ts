import { type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { auditLog } from "../access-schema";
import { type Executor, getDb } from "../index";
import { deliveries, replays } from "../schema";
import { settleReplays } from "./replay-list";

export type PurgeCounts = { events: number; testDeliveries: number; replays: number; auditEntries: number };

export type PurgeOptions = {
  /** Events, deliveries and replays from before this are deleted (RETENTION_DAYS ago); null: kept. */
  before: Date | null;
  /** Audit log entries from before this are deleted (AUDIT_RETENTION_DAYS ago); null: kept. */
  auditBefore: Date | null;
  /** Stops between batches once aborted (the server is shutting down). */
  signal?: AbortSignal;
  /** Rows of the table being purged per statement: each is its own short transaction. */
  batchSize?: number;
  /** Stop starting batches after this long; the next run goes on where this one stopped. */
  budgetMs?: number;
  /** Pause between batches, so ingest and delivery get the database in between. */
  pauseMs?: number;
};

/** Up to `limit` rows of `table` created before `before` that match `where`, oldest first. */
async function deleteOldest(db: Executor, table: PgTable, where: SQL, before: Date, limit: number) {
  return affected(
    await db.execute(sql`
    delete from ${table} where id in (
      select id from ${table}
      where created_at < ${before.toISOString()} and ${where}
      order by created_at
      limit ${limit}
      for update skip locked
    )`),
  );
}

/** Rows a statement changed (node-postgres: rowCount, PGlite: affectedRows). */
function affected(result: unknown): number {
  const r = result as { rowCount?: number | null; affectedRows?: number };
  return r.rowCount ?? r.affectedRows ?? 0;
}

/** The `n` of a statement's one row. */
function firstCount(result: unknown): number {
  const rows = ("rows" in (result as object) ? (result as { rows: unknown[] }).rows : result) as {
    n: number;
  }[];
  return Number(rows[0]?.n ?? 0);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One batch of each kind, oldest first. An event goes with its deliveries and their attempts (the foreign
 * keys cascade), but only once every delivery of it has settled: one still pending or retrying (a retry
 * schedule longer than the retention, or a delivery a Replay or Redeliver queued again) keeps its event
 * until it settles. `for update skip locked`: a row another statement holds is left for the next batch.
 */
const batches = {
  // The lead keeps its latest state; the activity the event recorded goes with it.
  events: async (db: Executor, before: Date, limit: number) =>
    firstCount(
      await db.execute(sql`
        with gone as (
          delete from events where id in (
            select e.id from events e
            where e.received_at < ${before.toISOString()} and e.handed_off_at is not null
              and not exists (
                select 1 from deliveries d
                where d.event_id = e.id and d.status in ('pending', 'retrying')
              )
            order by e.received_at
            limit ${limit}
            for update of e skip locked
          )
          returning id
        ),
        activities as (delete from lead_activities where event_id in (select id from gone))
        select count(*)::int as n from gone`),
    ),
  // Send test deliveries have no event of their own.
  testDeliveries: (db: Executor, before: Date, limit: number) =>
    deleteOldest(db, deliveries, sql`event_id is null and status in ('succeeded', 'failed')`, before, limit),
  // Deliveries a replay queued keep their history; they only lose the link to it.
  replays: (db: Executor, before: Date, limit: number) =>
    deleteOldest(db, replays, sql`status in ('finished', 'cancelled')`, before, limit),
  auditEntries: (db: Executor, before: Date, limit: number) =>
    deleteOldest(db, auditLog, sql`true`, before, limit),
} as const;

/**
 * Deletes what is older than the retention, a batch at a time (never one long statement): events with
 * their deliveries, attempts and lead activities, Send test deliveries, settled replays (given their
 * final counts first), and audit entries. Returns how many
 * of each it deleted, and whether it stopped with more left (the budget ran out).
 */
export async function purgeExpired(options: PurgeOptions): Promise<PurgeCounts & { more: boolean }> {
  const { batchSize = 1000, budgetMs = 60_000, pauseMs = 20 } = options;
  const db = await getDb();
  const started = Date.now();
  const counts: PurgeCounts = { events: 0, testDeliveries: 0, replays: 0, auditEntries: 0 };
  // A replay whose deliveries all settled gets its final counts now, before they may be deleted.
  if (options.before) await settleReplays(db, null);
  for (const kind of Object.keys(batches) as (keyof typeof batches)[]) {
    const before = kind === "auditEntries" ? options.auditBefore : options.before;
    if (!before) continue;
    for (;;) {
      if (Date.now() - started > budgetMs || options.signal?.aborted) return { ...counts, more: true };
      const deleted = await batches[kind](db, before, batchSize);
      counts[kind] += deleted;
      if (deleted < batchSize) break;
      if (pauseMs > 0) await sleep(pauseMs);
    }
  }
  return { ...counts, more: false };
}
