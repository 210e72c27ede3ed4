import "server-only";
import { and, eq, gte, sql } from "drizzle-orm";
import { createBatcher } from "@/lib/batcher";
import { isUuid } from "@/lib/uuid";
import type { AttemptResult } from "@/lib/webhooks/deliver";
import { type Database, getDb, sqlState } from "../index";
import { type Delivery, deliveries, deliveryAttempts, leadUpdateCallbacks, replays } from "../schema";
import { disableGoneCallback } from "./callback-disable";

// Attempts running at the same time share their reads and writes: one query loads every delivery asked
// for in one turn of the event loop, and one statement records every attempt that finished in one turn.
const BATCH = { maxSize: 100, maxConcurrent: 2 };

/** Where an attempt leaves its delivery: never pending. */
export type DeliveryStatus = Exclude<Delivery["status"], "pending">;

/** What an attempt reads of its callback: where to send, how to authenticate and sign (still encrypted). */
export const attemptCallbackColumns = {
  id: leadUpdateCallbacks.id,
  url: leadUpdateCallbacks.url,
  enabled: leadUpdateCallbacks.enabled,
  requiresWhitelisting: leadUpdateCallbacks.requiresWhitelisting,
  authType: leadUpdateCallbacks.authType,
  bearerTokenEncrypted: leadUpdateCallbacks.bearerTokenEncrypted,
  authHeaderKey: leadUpdateCallbacks.authHeaderKey,
  authHeaderValueEncrypted: leadUpdateCallbacks.authHeaderValueEncrypted,
  signingSecretEncrypted: leadUpdateCallbacks.signingSecretEncrypted,
  previousSigningSecretEncrypted: leadUpdateCallbacks.previousSigningSecretEncrypted,
  previousSigningSecretExpiresAt: leadUpdateCallbacks.previousSigningSecretExpiresAt,
};

function selectForAttempts(db: Database) {
  return db
    .select({
      // The stored text is the body: written by JSON.stringify, sent as is, never parsed and re-serialised.
      delivery: {
        id: deliveries.id,
        isTest: deliveries.isTest,
        body: sql<string>`${deliveries.payload}::text`,
        /** A cancelled replay's deliveries are not sent. */
        replayCancelled: sql<boolean>`coalesce(${replays.status} = 'cancelled', false)`,
      },
      callback: attemptCallbackColumns,
    })
    .from(deliveries)
    .innerJoin(leadUpdateCallbacks, eq(leadUpdateCallbacks.id, deliveries.callbackId))
    .leftJoin(replays, eq(replays.id, deliveries.replayId))
    .where(sql`${deliveries.id} = any(${sql.placeholder("ids")}::uuid[])`)
    .prepare("deliveries_for_attempts");
}
const prepared = new WeakMap<Database, ReturnType<typeof selectForAttempts>>();

const loadForAttempts = createBatcher(async (ids: string[]) => {
  const db = await getDb();
  let select = prepared.get(db);
  if (!select) {
    select = selectForAttempts(db);
    prepared.set(db, select);
  }
  const rows = await select.execute({ ids: [...new Set(ids)] });
  const byId = new Map(rows.map((row) => [row.delivery.id, row]));
  return ids.map((id) => byId.get(id));
}, BATCH);

/** How many attempts of a delivery were recorded since `since` (one run's, for the Inngest engine). */
export async function countAttemptsSince(deliveryId: string, since: Date): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(deliveryAttempts)
    .where(and(eq(deliveryAttempts.deliveryId, deliveryId), gte(deliveryAttempts.startedAt, since)));
  return Number(row?.n ?? 0);
}

/** A delivery as an attempt needs it: its body and its callback, secrets still encrypted. */
export type DeliveryForAttempt = NonNullable<Awaited<ReturnType<typeof loadForAttempts>>>;

/** What an attempt needs: the delivery and its callback, secrets still encrypted. */
export async function getDeliveryForAttempt(deliveryId: string) {
  if (!isUuid(deliveryId)) return undefined;
  return loadForAttempts(deliveryId.toLowerCase());
}

type AttemptRecord = {
  deliveryId: string;
  attemptNumber: number;
  result: AttemptResult;
  status: DeliveryStatus;
  requiresWhitelisting: boolean | null;
} & QueueStep;

/**
 * What an attempt made from the built-in queue does to its row: `run` is the run it was claimed in (null
 * outside the queue: Inngest, Send test), `retryInMs` when the policy retries it (null: it leaves the queue).
 */
export type QueueStep = { run: number | null; retryInMs: number | null };

const recordAttempts = createBatcher(async (records: AttemptRecord[]) => {
  const outcomes: (DeliveryStatus | Error)[] = [];
  // One statement cannot move the same delivery twice, so repeats of a delivery wait for the next round.
  let rest = records.map((record, index) => ({ record, index }));
  while (rest.length) {
    const seen = new Set<string>();
    const round = rest.filter(({ record }) => !seen.has(record.deliveryId) && seen.add(record.deliveryId));
    rest = rest.filter((entry) => !round.includes(entry));
    try {
      fillOutcomes(round, await insertAttempts(round.map((entry) => entry.record)), outcomes);
    } catch (error) {
      if (round.length > 1 && isDataError(error)) {
        // One attempt's bad value (a NUL byte in an excerpt, say) must not cost the others their record.
        for (const entry of round) {
          try {
            fillOutcomes([entry], await insertAttempts([entry.record]), outcomes);
          } catch (alone) {
            outcomes[entry.index] = notRecorded(alone);
          }
        }
      } else {
        const failure = notRecorded(error);
        for (const { index } of round) outcomes[index] = failure;
      }
    }
  }
  return outcomes;
}, BATCH);

/** Sets each round entry's outcome: its status when its attempt was recorded, else why it was not. */
function fillOutcomes(
  round: { record: AttemptRecord; index: number }[],
  recorded: Set<string>,
  outcomes: (DeliveryStatus | Error)[],
) {
  for (const { record, index } of round) {
    outcomes[index] = recorded.has(record.deliveryId)
      ? record.status
      : new Error(`Delivery ${record.deliveryId} no longer exists; its attempt was not recorded`);
  }
}

/**
 * The driver's error without the failed query's parameters: those hold every attempt of the batch (other
 * callbacks' response excerpts), and each caller's error ends up in its own run's log.
 */
function notRecorded(error: unknown): Error {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new Error(`The attempt could not be recorded: ${message}`, { cause });
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity): caused by a value, not by the database. */
function isDataError(error: unknown): boolean {
  const code = sqlState(error) ?? "";
  return code.startsWith("22") || code.startsWith("23");
}

/**
 * One statement, so all of it or none of it is stored: moves each delivery on and logs its attempt. A
 * delivery deleted meanwhile is neither updated nor logged; the ids answered are the ones recorded.
 */
async function insertAttempts(records: AttemptRecord[]): Promise<Set<string>> {
  const db = await getDb();
  // One array per column: the statement's text stays the same whatever the batch size.
  const column = <T>(pick: (record: AttemptRecord) => T) => sql.param(records.map(pick));
  const result = await db.execute(sql`
    with v as (
      select * from unnest(
        ${column((r) => r.deliveryId)}::uuid[], ${column((r) => r.attemptNumber)}::int[],
        ${column((r) => r.result.outcome)}::text[], ${column((r) => r.result.responseStatus)}::int[],
        ${column((r) => r.result.latencyMs)}::int[], ${column((r) => r.result.errorClass)}::text[],
        ${column((r) => r.result.errorMessage)}::text[], ${column((r) => r.result.responseExcerpt)}::text[],
        ${column((r) => JSON.stringify(r.result.requestHeaders))}::jsonb[],
        ${column((r) => r.result.startedAt.toISOString())}::timestamptz[],
        ${column((r) => r.status)}::text[], ${column((r) => r.requiresWhitelisting)}::boolean[],
        ${column((r) => r.run)}::int[], ${column((r) => r.retryInMs)}::int[]
      ) as v (delivery_id, attempt_number, outcome, response_status, latency_ms, error_class, error_message,
        response_excerpt, request_headers, started_at, status, requires_whitelisting, run, retry_in_ms)
    ),
    moved as (
      -- An attempt of the current run (or made outside the queue) settles the delivery; on the queue it
      -- also lets go of the row and makes it due again when the policy retries it. An attempt of an
      -- earlier run is only logged: the new run decides.
      update ${deliveries} d set attempt_count = d.attempt_count + 1,
        status = case when v.run is null or d.run = v.run then v.status::delivery_status else d.status end,
        due_at = case when v.run is null or d.run <> v.run then d.due_at
          when v.retry_in_ms is null then null else now() + v.retry_in_ms * interval '1 millisecond' end,
        locked_until = case when v.run is null or d.run <> v.run then d.locked_until end,
        run_attempts = case when d.run = v.run then v.attempt_number else d.run_attempts end,
        claims = case when d.run = v.run then 0 else d.claims end,
        last_response_status = v.response_status, last_error = v.error_message,
        last_attempt_at = v.started_at, updated_at = now()
      from v where d.id = v.delivery_id
      returning d.id, d.callback_id
    )
    insert into ${deliveryAttempts} (delivery_id, callback_id, attempt_number, outcome, response_status,
      latency_ms, error_class, error_message, response_excerpt, request_headers, started_at,
      requires_whitelisting)
    select v.delivery_id, moved.callback_id, v.attempt_number, v.outcome, v.response_status, v.latency_ms,
      v.error_class, v.error_message, v.response_excerpt, v.request_headers, v.started_at,
      v.requires_whitelisting
    from v join moved on moved.id = v.delivery_id
    returning delivery_id`);
  // node-postgres and PGlite both answer { rows }.
  const { rows } = result as unknown as { rows: { delivery_id: string }[] };
  return new Set(rows.map((row) => row.delivery_id));
}

/**
 * Records one attempt and moves the delivery on: succeeded, retrying, or failed (a final failure). The
 * log never disagrees with the delivery's state, and the promise settles once the attempt is stored (it
 * rejects when it was not). A 410 turns the callback off with the reason shown to the admin.
 */
export async function recordAttempt(
  deliveryId: string,
  attemptNumber: number,
  result: AttemptResult,
  final: boolean,
  /** The callback's "Requires source to be whitelisted" as this attempt was made (for its hint later). */
  requiresWhitelisting: boolean | null = null,
  queue: QueueStep = { run: null, retryInMs: null },
): Promise<DeliveryStatus> {
  const status =
    result.outcome === "succeeded"
      ? "succeeded"
      : final || result.outcome !== "retry"
        ? "failed"
        : "retrying";
  const id = deliveryId.toLowerCase();
  const record: AttemptRecord = {
    deliveryId: id,
    attemptNumber,
    result,
    status,
    requiresWhitelisting,
    ...queue,
  };
  if (result.outcome === "gone") await recordGone(record);
  else await recordAttempts(record);
  return status;
}

/** The rare 410: the attempt, the delivery and turning the callback off, in one transaction. */
async function recordGone({
  deliveryId,
  attemptNumber,
  result,
  status,
  requiresWhitelisting,
}: AttemptRecord) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [delivery] = await tx
      .update(deliveries)
      .set({
        status,
        attemptCount: sql`${deliveries.attemptCount} + 1`,
        lastResponseStatus: result.responseStatus,
        lastError: result.errorMessage,
        lastAttemptAt: result.startedAt,
        // Gone is final: off the queue, whichever run it was.
        dueAt: null,
        lockedUntil: null,
        updatedAt: sql`now()`,
      })
      .where(eq(deliveries.id, deliveryId))
      .returning({ callbackId: deliveries.callbackId });
    if (!delivery) throw new Error(`Delivery ${deliveryId} no longer exists; its attempt was not recorded`);
    await tx.insert(deliveryAttempts).values({
      deliveryId,
      callbackId: delivery.callbackId,
      attemptNumber,
      outcome: result.outcome,
      responseStatus: result.responseStatus,
      latencyMs: result.latencyMs,
      errorClass: result.errorClass,
      errorMessage: result.errorMessage,
      responseExcerpt: result.responseExcerpt,
      requestHeaders: result.requestHeaders,
      requiresWhitelisting,
      startedAt: result.startedAt,
    });
    await disableGoneCallback(tx, delivery.callbackId);
  });
}
