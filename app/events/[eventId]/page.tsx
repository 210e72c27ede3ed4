import type { Metadata, Route } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getMember, requirePageMember } from "@/auth/member";
import { CallbackDelivery, type CallbackDeliveryView } from "@/components/events/callback-delivery";
import { EVENTS_PATH, eventPath, processEventsPath } from "@/components/events/event-search-params";
import { EventSummary } from "@/components/events/event-summary";
import { getEventDetail } from "@/db/queries/event-log";
import { getEnv } from "@/lib/env";
import { uuidParam } from "@/lib/uuid";
import { failureHint } from "@/lib/webhooks/hints";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ eventId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const member = await getMember();
  const eventId = uuidParam((await params).eventId);
  const detail = member && eventId ? await getEventDetail(member.workspace.id, eventId) : undefined;
  return { title: detail ? `Event ${detail.event.externalId}` : "Event" };
}

type Detail = NonNullable<Awaited<ReturnType<typeof getEventDetail>>>;

/** Each callback's delivery, with every failed attempt's hint worked out here: the browser never sees the settings. */
function deliveryViews(detail: Detail): CallbackDeliveryView[] {
  const egressIps = getEnv().CALLBACK_EGRESS_IPS;
  return detail.deliveries.map(({ delivery, position, name, url, requiresWhitelisting, attempts }) => ({
    deliveryId: delivery.id,
    position,
    name,
    url,
    status: delivery.status,
    attemptCount: delivery.attemptCount,
    // The delivery's last word when no attempt said it (not sent, or the engine gave up).
    note:
      delivery.lastError && delivery.lastError !== attempts.at(-1)?.errorMessage ? delivery.lastError : null,
    body: JSON.stringify(delivery.payload),
    attempts: attempts.map((a) => ({
      id: a.id,
      attemptNumber: a.attemptNumber,
      startedAt: a.startedAt,
      outcome: a.outcome,
      responseStatus: a.responseStatus,
      latencyMs: a.latencyMs,
      errorMessage: a.errorMessage,
      responseExcerpt: a.responseExcerpt,
      // As the attempt was made; attempts recorded before that was kept, as the callback is now.
      hint: failureHint(a, {
        requiresWhitelisting: a.requiresWhitelisting ?? requiresWhitelisting,
        egressIps,
      }),
    })),
  }));
}

export default async function EventPage({ params }: Props) {
  const { eventId } = await params;
  const member = await requirePageMember(eventPath(eventId));
  const id = uuidParam(eventId);
  const detail = id ? await getEventDetail(member.workspace.id, id) : undefined;
  if (!detail) notFound();
  const { event, processName } = detail;
  const deliveries = deliveryViews(detail);

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm break-words text-slate-600">
        <Link href={EVENTS_PATH as Route} className="hover:underline">
          Events
        </Link>{" "}
        /{" "}
        <Link href={processEventsPath(event.processId) as Route} className="hover:underline">
          {processName}
        </Link>{" "}
        / <span aria-current="page">{event.externalId}</span>
      </nav>
      <h1 className="text-2xl font-semibold tracking-tight break-words">
        <span className="font-mono">{event.type}</span>
        <span className="mt-1 block text-base font-normal text-slate-600">Event {event.externalId}</span>
      </h1>
      <EventSummary
        event={{
          externalId: event.externalId,
          type: event.type,
          occurredAt: event.occurredAt,
          receivedAt: event.receivedAt,
          processId: event.processId,
          processName,
          lead: event.leadSnapshot,
          payload: event.payload,
        }}
      />
      <section aria-labelledby="deliveries" className="space-y-4">
        <h2 id="deliveries" className="text-lg font-semibold">
          Deliveries
        </h2>
        {deliveries.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
            Not subscribed: the process had no enabled callback when this event arrived, so it was sent
            nowhere.
          </p>
        ) : (
          deliveries.map((delivery) => <CallbackDelivery key={delivery.deliveryId} delivery={delivery} />)
        )}
      </section>
    </div>
  );
}
