import "server-only";
import { and, asc, count, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { LeadEvent, LeadSnapshot } from "@/lib/validations/event";
import { type Executor, getDb } from "../index";
import { events, type Lead, leadActivities, leads, processes } from "../schema";

export type StoreResult = {
  accepted: { id: string; externalId: string }[];
  duplicates: string[];
};

/**
 * Stores a batch of validated events and merges the leads they update, in one transaction: all or
 * nothing. Event ids already stored in the workspace (or repeated in the batch) come back as duplicates
 * and change nothing. Every process must belong to the workspace, or the batch is refused naming the
 * first event that fails.
 */
export async function storeEvents(workspaceId: string, batch: LeadEvent[]): Promise<StoreResult> {
  const db = await getDb();
  const processIds = [...new Set(batch.map((e) => e.processId))];
  const found = await db
    .select({ id: processes.id })
    .from(processes)
    .where(and(eq(processes.workspaceId, workspaceId), inArray(processes.id, processIds)));
  const known = new Set(found.map((p) => p.id));
  const missing = batch.findIndex((e) => !known.has(e.processId));
  if (missing >= 0) {
    const where = batch.length > 1 ? `events[${missing}]: ` : "";
    throw new AppError("not_found", `${where}process ${batch[missing]?.processId} does not exist`);
  }

  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(events)
      .values(
        batch.map((e) => ({
          workspaceId,
          processId: e.processId,
          externalId: e.id,
          type: e.type,
          occurredAt: new Date(e.occurredAt),
          payload: e as unknown as Record<string, unknown>,
        })),
      )
      .onConflictDoNothing({ target: [events.workspaceId, events.externalId] })
      .returning({ id: events.id, externalId: events.externalId });
    const idByExternal = new Map(inserted.map((r) => [r.externalId, r.id]));
    const fresh = batch.filter((e) => idByExternal.has(e.id));
    const duplicates = batch.filter((e) => !idByExternal.has(e.id)).map((e) => e.id);
    // A repeat inside the batch is a duplicate of its first occurrence.
    const firstSeen = new Set<string>();
    const newEvents = fresh.filter((e) =>
      firstSeen.has(e.id) ? (duplicates.push(e.id), false) : firstSeen.add(e.id),
    );
    const [only] = newEvents;
    if (newEvents.length === 1 && only) await mergeOneLead(tx, only, idByExternal.get(only.id) as string);
    else if (newEvents.length) await mergeLeads(tx, newEvents, idByExternal);
    return {
      accepted: newEvents.map((e) => ({ id: idByExternal.get(e.id) as string, externalId: e.id })),
      duplicates,
    };
  });
}

/**
 * The common case, one new event, in one statement: the lead upsert takes the row lock, and the event
 * gets the state it returns (its snapshot and sequence); the activity is appended alongside.
 */
async function mergeOneLead(tx: Executor, e: LeadEvent, eventId: string) {
  const { lead } = e;
  await tx.execute(sql`with l as (
      insert into ${leads} (process_id, external_id, name, phone, email, status, disposition, attributes, sequence)
      values (${e.processId}::uuid, ${lead.id}, ${lead.name ?? null}::text, ${lead.phone ?? null}::text,
        ${lead.email ?? null}::text, ${lead.status ?? null}::text, ${lead.disposition ?? null}::text,
        ${JSON.stringify(lead.attributes ?? {})}::jsonb, 1)
      on conflict (process_id, external_id) do update set
        name = coalesce(excluded.name, leads.name), phone = coalesce(excluded.phone, leads.phone),
        email = coalesce(excluded.email, leads.email), status = coalesce(excluded.status, leads.status),
        disposition = coalesce(excluded.disposition, leads.disposition),
        attributes = leads.attributes || excluded.attributes, sequence = leads.sequence + 1, updated_at = now()
      returning *
    ), a as (
      insert into ${leadActivities} (lead_id, event_id, activity, occurred_at)
      select l.id, ${eventId}::uuid, ${e.activity ? JSON.stringify(e.activity) : null}::jsonb, ${e.occurredAt}::timestamptz
      from l where ${e.activity ? 1 : 0} = 1
    )
    update ${events} set lead_id = l.id, lead_sequence = l.sequence,
      lead_snapshot = jsonb_build_object('id', l.external_id, 'name', l.name, 'phone', l.phone, 'email', l.email,
        'status', l.status, 'disposition', l.disposition, 'attributes', l.attributes, 'sequence', l.sequence)
    from l where ${events.id} = ${eventId}::uuid`);
}

/**
 * Merges each lead's events in order under a row lock, so every event gets the lead's state as it left
 * it (its snapshot) and a per-lead sequence number, even when producers send concurrently.
 */
async function mergeLeads(tx: Executor, newEvents: LeadEvent[], idByExternal: Map<string, string>) {
  const groups = new Map<string, LeadEvent[]>();
  for (const e of newEvents) {
    const key = leadKey(e.processId, e.lead.id);
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const pairs = [...groups.values()].map((list) => list[0] as LeadEvent);
  await tx
    .insert(leads)
    .values(pairs.map((e) => ({ processId: e.processId, externalId: e.lead.id })))
    .onConflictDoNothing({ target: [leads.processId, leads.externalId] });
  const locked = await tx
    .select()
    .from(leads)
    .where(
      sql`(${leads.processId}, ${leads.externalId}) in (${sql.join(
        pairs.map((e) => sql`(${e.processId}::uuid, ${e.lead.id})`),
        sql`, `,
      )})`,
    )
    .for("update");
  const byKey = new Map(locked.map((l) => [leadKey(l.processId, l.externalId), l]));

  const updates: { lead: Lead; state: LeadSnapshot }[] = [];
  const assignments: { eventId: string; leadId: string; snapshot: LeadSnapshot }[] = [];
  const activities: (typeof leadActivities.$inferInsert)[] = [];
  for (const [key, list] of groups) {
    const lead = byKey.get(key);
    if (!lead) throw new Error(`lead ${key} was not stored`);
    let state: LeadSnapshot = {
      id: lead.externalId,
      name: lead.name,
      phone: lead.phone,
      email: lead.email,
      status: lead.status,
      disposition: lead.disposition,
      attributes: lead.attributes,
      sequence: lead.sequence,
    };
    for (const e of list) {
      const eventId = idByExternal.get(e.id) as string;
      state = {
        id: state.id,
        name: e.lead.name ?? state.name,
        phone: e.lead.phone ?? state.phone,
        email: e.lead.email ?? state.email,
        status: e.lead.status ?? state.status,
        disposition: e.lead.disposition ?? state.disposition,
        attributes: { ...state.attributes, ...e.lead.attributes },
        sequence: state.sequence + 1,
      };
      assignments.push({ eventId, leadId: lead.id, snapshot: state });
      if (e.activity) {
        activities.push({
          leadId: lead.id,
          eventId,
          activity: e.activity,
          occurredAt: new Date(e.occurredAt),
        });
      }
    }
    updates.push({ lead, state });
  }

  await tx.execute(sql`update ${leads} set
      name = v.name, phone = v.phone, email = v.email, status = v.status, disposition = v.disposition,
      attributes = v.attributes, sequence = v.sequence, updated_at = now()
    from (values ${sql.join(
      updates.map(
        ({ lead, state: s }) =>
          sql`(${lead.id}::uuid, ${s.name}::text, ${s.phone}::text, ${s.email}::text, ${s.status}::text, ${s.disposition}::text, ${JSON.stringify(s.attributes)}::jsonb, ${s.sequence}::int)`,
      ),
      sql`, `,
    )}) as v(id, name, phone, email, status, disposition, attributes, sequence)
    where ${leads.id} = v.id`);
  if (activities.length) await tx.insert(leadActivities).values(activities);
  await tx.execute(sql`update ${events} set lead_id = v.lead_id, lead_sequence = v.seq, lead_snapshot = v.snapshot
    from (values ${sql.join(
      assignments.map(
        (a) =>
          sql`(${a.eventId}::uuid, ${a.leadId}::uuid, ${a.snapshot.sequence}::int, ${JSON.stringify(a.snapshot)}::jsonb)`,
      ),
      sql`, `,
    )}) as v(id, lead_id, seq, snapshot)
    where ${events.id} = v.id`);
}

function leadKey(processId: string, externalId: string) {
  return `${processId}\n${externalId}`;
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

/** Events still waiting for hand-off that were received before `olderThan`, oldest first. */
export async function listPendingHandoffs(options: { olderThan: Date; limit: number }) {
  const db = await getDb();
  return db
    .select({ id: events.id, processId: events.processId })
    .from(events)
    .where(and(isNull(events.handedOffAt), lt(events.receivedAt, options.olderThan)))
    .orderBy(asc(events.receivedAt))
    .limit(options.limit);
}

export async function countPendingHandoffs(processId: string): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ n: count() })
    .from(events)
    .where(and(eq(events.processId, processId), isNull(events.handedOffAt)));
  return row?.n ?? 0;
}
