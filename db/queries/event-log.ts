import "server-only";
import { and, asc, desc, eq, gte, inArray, lte, type SQL, sql } from "drizzle-orm";
import { isUuid } from "@/lib/uuid";
import type { DeliveryState, EventLogFilters } from "@/lib/validations/event-log";
import { getDb } from "../index";
import { deliveries, deliveryAttempts, events, leads, leadUpdateCallbacks, processes } from "../schema";
import { decodeKeyset, encodeKeyset, keysetTime, olderThan } from "./keyset";

export type { DeliveryState, EventLogFilters };

const PAGE_SIZE = 50;

const deliveryOf = sql`${deliveries.eventId} = ${events.id}`;
const stateConditions: Record<DeliveryState, SQL> = {
  succeeded: sql`exists (select 1 from ${deliveries} where ${deliveryOf}) and not exists (select 1 from ${deliveries} where ${deliveryOf} and ${deliveries.status} <> 'succeeded')`,
  // Few events match these: read from the deliveries' partial index, not event by event.
  failing: sql`${events.id} in (select ${deliveries.eventId} from ${deliveries} where ${deliveries.status} in ('failed', 'retrying'))`,
  pending: sql`${events.id} in (select ${deliveries.eventId} from ${deliveries} where ${deliveries.status} = 'pending')`,
  not_subscribed: sql`not exists (select 1 from ${deliveries} where ${deliveryOf})`,
};

/**
 * One page of the received events of a workspace (or one of its processes), newest first, each with the
 * state of its delivery to every callback it went to, and the cursor of the next page.
 */
export async function listEventLog(workspaceId: string, filters: EventLogFilters, limit = PAGE_SIZE) {
  const db = await getDb();
  const conditions: SQL[] = [eq(events.workspaceId, workspaceId)];
  if (filters.processId) {
    if (!isUuid(filters.processId)) return { rows: [], nextCursor: null };
    conditions.push(eq(events.processId, filters.processId));
  }
  if (filters.type) conditions.push(eq(events.type, filters.type));
  if (filters.from) conditions.push(gte(events.receivedAt, filters.from));
  if (filters.to) conditions.push(lte(events.receivedAt, filters.to));
  if (filters.state) conditions.push(stateConditions[filters.state]);
  if (filters.lead) {
    const lead = filters.lead.trim();
    conditions.push(
      inArray(
        events.leadId,
        db
          .select({ id: leads.id })
          .from(leads)
          .innerJoin(processes, eq(processes.id, leads.processId))
          .where(
            and(
              eq(processes.workspaceId, workspaceId),
              sql`(${leads.externalId} = ${lead} or ${leads.phone} = ${lead})`,
            ),
          ),
      ),
    );
  }
  const after = filters.cursor ? decodeKeyset(filters.cursor) : undefined;
  if (after) conditions.push(olderThan(events.receivedAt, events.id, after));

  const found = await db
    .select({
      id: events.id,
      externalId: events.externalId,
      type: events.type,
      receivedAt: events.receivedAt,
      receivedAtText: keysetTime(events.receivedAt),
      lead: events.leadSnapshot,
      processId: events.processId,
      processName: processes.name,
    })
    .from(events)
    .innerJoin(processes, eq(processes.id, events.processId))
    .where(and(...conditions))
    .orderBy(desc(events.receivedAt), desc(events.id))
    .limit(limit + 1);
  const page = found.slice(0, limit);
  const sent = page.length
    ? await db
        .select({
          eventId: deliveries.eventId,
          callbackId: deliveries.callbackId,
          position: leadUpdateCallbacks.position,
          name: leadUpdateCallbacks.name,
          url: leadUpdateCallbacks.url,
          status: deliveries.status,
          attemptCount: deliveries.attemptCount,
        })
        .from(deliveries)
        .innerJoin(leadUpdateCallbacks, eq(leadUpdateCallbacks.id, deliveries.callbackId))
        .where(
          inArray(
            deliveries.eventId,
            page.map((e) => e.id),
          ),
        )
        .orderBy(asc(leadUpdateCallbacks.position))
    : [];
  const last = page.at(-1);
  return {
    rows: page.map(({ receivedAtText: _, ...event }) => ({
      ...event,
      deliveries: sent.filter((d) => d.eventId === event.id),
    })),
    nextCursor: found.length > limit && last ? encodeKeyset({ at: last.receivedAtText, id: last.id }) : null,
  };
}

export type EventLogRow = Awaited<ReturnType<typeof listEventLog>>["rows"][number];

/**
 * One received event of the workspace: as stored, and for every callback it went to, the exact body sent
 * and every attempt. Undefined for an id from elsewhere.
 */
export async function getEventDetail(workspaceId: string, eventId: string) {
  const db = await getDb();
  const [event] = await db
    .select({ event: events, processName: processes.name })
    .from(events)
    .innerJoin(processes, eq(processes.id, events.processId))
    .where(and(eq(events.id, eventId), eq(events.workspaceId, workspaceId)));
  if (!event) return undefined;
  const sent = await db
    .select({
      delivery: deliveries,
      position: leadUpdateCallbacks.position,
      name: leadUpdateCallbacks.name,
      url: leadUpdateCallbacks.url,
      requiresWhitelisting: leadUpdateCallbacks.requiresWhitelisting,
    })
    .from(deliveries)
    .innerJoin(leadUpdateCallbacks, eq(leadUpdateCallbacks.id, deliveries.callbackId))
    .where(eq(deliveries.eventId, eventId))
    .orderBy(asc(leadUpdateCallbacks.position));
  const attempts = sent.length
    ? await db
        .select()
        .from(deliveryAttempts)
        .where(
          inArray(
            deliveryAttempts.deliveryId,
            sent.map((s) => s.delivery.id),
          ),
        )
        .orderBy(asc(deliveryAttempts.attemptNumber))
    : [];
  return {
    ...event,
    deliveries: sent.map((s) => ({ ...s, attempts: attempts.filter((a) => a.deliveryId === s.delivery.id) })),
  };
}
