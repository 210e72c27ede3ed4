import "server-only";
import { and, asc, eq, gt, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { unknownApiKeyError } from "@/lib/api-keys";
import { AppError } from "@/lib/errors";
import { LEAD_ATTRIBUTE_LIMITS, type LeadEvent } from "@/lib/validations/event";
import { subscribes } from "@/lib/webhooks/payload";
import { driverError, getDb, sqlState } from "../index";
import { deliveries, events, leadUpdateCallbacks } from "../schema";
import { type AuditContext, recordAudit } from "./audit-log";

export type StoreResult = {
  accepted: { id: string; externalId: string }[];
  duplicates: string[];
};

type Stored =
  | { accepted: Record<string, string> }
  | { error: "unauthorized" }
  | { error: "not_found"; index: number; processId: string };

/**
 * The ingest route's write, in one round trip: authenticates the key by its SHA-256 (an indexed lookup of
 * a hash reveals nothing about the key through timing), then stores the batch as `storeEvents` does.
 * Throws `unauthorized` for an unknown or revoked key.
 */
export function ingestEvents(keyHash: string, batch: LeadEvent[]): Promise<StoreResult> {
  const query = sql`select leadhook_ingest(${keyHash}, ${JSON.stringify(batch)}::jsonb) as r`;
  return store(async () => readStored(await (await getDb()).execute(query)), batch);
}

/**
 * Stores a batch of validated events and merges the leads they update, all or nothing (the SQL function
 * leadhook_store_events, migration 0002). Event ids already stored in the workspace (or repeated in the
 * batch) with the same body come back as duplicates and change nothing; with another body the batch is
 * refused (409 conflict, naming the event: migration 0017). Each lead is merged under its row lock in event
 * order, so every event keeps the lead's state as it left it (its snapshot) and a per-lead sequence, even
 * when producers send concurrently. Every process must belong to the workspace, or the batch is refused
 * naming the first event that fails.
 */
export function storeEvents(workspaceId: string, batch: LeadEvent[]): Promise<StoreResult> {
  const query = storeQuery(workspaceId, batch);
  return store(async () => readStored(await (await getDb()).execute(query)), batch);
}

function storeQuery(workspaceId: string, batch: LeadEvent[]): SQL {
  return sql`select leadhook_store_events(${workspaceId}::uuid, ${JSON.stringify(batch)}::jsonb) as r`;
}

/**
 * "Send sample event": one event stored as a producer's is (storeEvents), with the member's audit entry in
 * the same transaction. Also says how many of the process's callbacks get it: those that are on and whose
 * Payload Format subscribes to its type.
 */
export async function storeSampleEvent(
  event: LeadEvent,
  audit: { context: AuditContext; targetLabel: string },
): Promise<StoreResult & { enabledCallbacks: number }> {
  let enabledCallbacks = 0;
  const stored = await store(async () => {
    const db = await getDb();
    return db.transaction(async (tx) => {
      const r = readStored(await tx.execute(storeQuery(audit.context.workspaceId, [event])));
      const eventId = "accepted" in r ? r.accepted[event.id] : undefined;
      if (!eventId) return r;
      const enabled = await tx
        .select({ payloadFormat: leadUpdateCallbacks.payloadFormat })
        .from(leadUpdateCallbacks)
        .where(
          and(eq(leadUpdateCallbacks.processId, event.processId), eq(leadUpdateCallbacks.enabled, true)),
        );
      enabledCallbacks = enabled.filter((cb) => subscribes(cb.payloadFormat, event.type)).length;
      await recordAudit(tx, audit.context, {
        action: "event.sample_sent",
        targetType: "process",
        targetId: event.processId,
        targetLabel: audit.targetLabel,
        details: { eventId, externalId: event.id },
      });
      return r;
    });
  }, [event]);
  return { ...stored, enabledCallbacks };
}

/** The one row a store function answers with (PGlite hands jsonb back as text). */
function readStored(result: unknown): Stored {
  const r = (result as { rows: { r: Stored | string }[] }).rows[0]?.r;
  if (!r) throw new Error("The ingest function returned no row");
  return typeof r === "string" ? (JSON.parse(r) as Stored) : r;
}

// serialization_failure (the same event id stored concurrently) and deadlock_detected: safe to run again.
const RETRYABLE = new Set(["40001", "40P01"]);

/** Calls one of the store functions, running it again (up to three times) when Postgres says so. */
async function store(run: () => Promise<Stored>, batch: LeadEvent[]): Promise<StoreResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return toStoreResult(await run(), batch);
    } catch (error) {
      if (sqlState(error) === LEAD_ATTRIBUTES_OVER) throw leadAttributesError(error, batch);
      if (sqlState(error) === EVENT_ID_REUSED) throw eventIdReusedError(error, batch);
      if (attempt >= 3 || !RETRYABLE.has(sqlState(error) ?? "")) throw error;
    }
  }
}

// Raised by leadhook_check_lead_attributes (migration 0013) when an event's merge passes a lead's limits.
const LEAD_ATTRIBUTES_OVER = "LH001";

// Raised by leadhook_check_same_event (migration 0017) for an event id received before with another body.
const EVENT_ID_REUSED = "LH002";

/** The 409 for an event id already stored (or earlier in the batch) with another body, naming it. */
function eventIdReusedError(error: unknown, batch: LeadEvent[]): AppError {
  const text = driverError(error)?.detail;
  const { eventId } = (typeof text === "string" ? JSON.parse(text) : {}) as { eventId?: string };
  const indexes = batch.flatMap((event, i) => (event.id === eventId ? [i] : []));
  // In a batch that repeats the id, the later event is the one that differs from the first.
  const index = indexes.length > 1 ? (indexes.at(-1) as number) : (indexes[0] ?? 0);
  const path = batch.length > 1 ? `events[${index}].id` : "id";
  const message = `event id ${eventId} was already received with a different body; an event id names one event, so send the same body again or use a new id`;
  return new AppError("conflict", `${path}: ${message}`, { fieldErrors: { [path]: message }, cause: error });
}

/** The 400 for an event whose lead would hold too many attributes, naming the event and the limit. */
function leadAttributesError(error: unknown, batch: LeadEvent[]): AppError {
  const text = driverError(error)?.detail;
  const detail: { eventId?: string; keys?: number; bytes?: number } =
    typeof text === "string" ? JSON.parse(text) : {};
  const index = batch.findIndex((event) => event.id === detail.eventId);
  const path = `${batch.length > 1 ? `events[${index}].` : ""}lead.attributes`;
  const { keys, bytes } = LEAD_ATTRIBUTE_LIMITS;
  const size = `${detail.keys} attributes, ${Math.ceil((detail.bytes ?? 0) / 1024)} KiB`;
  const message = `event ${detail.eventId} would leave its lead with ${size}; a lead keeps at most ${keys} attributes and ${bytes / 1024} KiB of them`;
  return new AppError("invalid_request", `${path}: ${message}`, {
    fieldErrors: { [path]: message },
    cause: error,
  });
}

/** The function's answer as the route reports it: accepted and duplicate ids, each in batch order. */
function toStoreResult(stored: Stored, batch: LeadEvent[]): StoreResult {
  if ("error" in stored) {
    if (stored.error === "unauthorized") throw unknownApiKeyError();
    const where = batch.length > 1 ? `events[${stored.index}]: ` : "";
    throw new AppError("not_found", `${where}process ${stored.processId} does not exist`);
  }
  const result: StoreResult = { accepted: [], duplicates: [] };
  const seen = new Set<string>();
  for (const { id: externalId } of batch) {
    const id = stored.accepted[externalId];
    if (id && !seen.has(externalId)) result.accepted.push({ id, externalId });
    else result.duplicates.push(externalId);
    seen.add(externalId);
  }
  return result;
}

/** Marks events as accepted by Inngest. */
export async function markHandedOff(ids: string[]): Promise<void> {
  if (!ids.length) return;
  const db = await getDb();
  await db
    .update(events)
    .set({
      handedOffAt: sql`now()`,
      handoffAttempts: sql`${events.handoffAttempts} + 1`,
      lastHandoffError: null,
    })
    .where(inArray(events.id, ids));
}

/** Records a failed hand-off; the events stay pending for the re-send function. */
export async function recordHandoffFailure(ids: string[], message: string): Promise<void> {
  if (!ids.length) return;
  const db = await getDb();
  await db
    .update(events)
    .set({ handoffAttempts: sql`${events.handoffAttempts} + 1`, lastHandoffError: message.slice(0, 500) })
    .where(inArray(events.id, ids));
}

/**
 * Events still waiting for hand-off, oldest first: those received before `olderThan` (their hand-off
 * may still be under way otherwise), and any whose hand-off is known to have failed.
 */
export async function listPendingHandoffs(options: { olderThan: Date; limit: number }) {
  const db = await getDb();
  return db
    .select({ id: events.id, processId: events.processId })
    .from(events)
    .where(
      and(
        isNull(events.handedOffAt),
        or(lt(events.receivedAt, options.olderThan), gt(events.handoffAttempts, 0)),
      ),
    )
    .orderBy(asc(events.receivedAt))
    .limit(options.limit);
}

/**
 * What the process page warns about: events stored but not yet queued for delivery (with the engine's
 * last refusal), and deliveries that failed for good in the last 24 hours (tests aside).
 */
export async function getDeliveryBacklog(processId: string) {
  const db = await getDb();
  const result = await db.execute(sql`
    select
      (select count(*)::int from ${events} where process_id = ${processId} and handed_off_at is null) as pending,
      (select last_handoff_error from ${events}
        where process_id = ${processId} and handed_off_at is null and last_handoff_error is not null
        order by received_at desc limit 1) as last_error,
      (select count(*)::int from ${deliveries} d join ${leadUpdateCallbacks} c on c.id = d.callback_id
        where c.process_id = ${processId} and d.status = 'failed' and not d.is_test
          and d.updated_at > now() - interval '24 hours') as failed`);
  const [row] = (
    result as unknown as { rows: { pending: number; last_error: string | null; failed: number }[] }
  ).rows;
  return {
    pendingEvents: Number(row?.pending ?? 0),
    lastHandoffError: row?.last_error ?? null,
    failedDeliveries: Number(row?.failed ?? 0),
  };
}
