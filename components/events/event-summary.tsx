import type { Route } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import type { LeadSnapshot } from "@/lib/validations/event";
import { DateTime } from "../ui/date-time";
import { JsonBlock } from "./json-block";

/** The stored event as the detail page shows it. */
export type StoredEventView = {
  externalId: string;
  type: string;
  occurredAt: Date;
  receivedAt: Date;
  processId: string;
  processName: string;
  lead: LeadSnapshot | null;
  payload: unknown;
};

const factsClass = "grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-[10rem_1fr] sm:gap-y-2";

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="contents">
      <dt className="font-medium text-slate-600">{term}</dt>
      <dd className="mb-1 min-w-0 break-words text-slate-900 sm:mb-0">
        {children ?? <span className="text-slate-400">—</span>}
      </dd>
    </div>
  );
}

/** The event as leadhook stored it: what it is, when, for which process, the lead it left, the payload. */
export function EventSummary({ event }: { event: StoredEventView }) {
  const { lead } = event;
  const attributes = lead && Object.keys(lead.attributes ?? {}).length ? lead.attributes : null;
  return (
    <section
      aria-labelledby="stored-event"
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6"
    >
      <h2 id="stored-event" className="text-lg font-semibold">
        Stored event
      </h2>
      <dl aria-label="Event" className={factsClass}>
        <Fact term="Type">
          <span className="font-mono">{event.type}</span>
        </Fact>
        <Fact term="Event id">
          <span className="font-mono">{event.externalId}</span>
        </Fact>
        <Fact term="Occurred">
          <DateTime value={event.occurredAt} seconds />
        </Fact>
        <Fact term="Received">
          <DateTime value={event.receivedAt} seconds />
        </Fact>
        <Fact term="Process">
          <Link href={`/processes/${event.processId}` as Route} className="text-brand-700 hover:underline">
            {event.processName}
          </Link>
        </Fact>
      </dl>
      <h3 className="text-base font-semibold">Lead as this event left it</h3>
      {lead ? (
        <dl aria-label="Lead" className={factsClass}>
          <Fact term="Lead id">
            <span className="font-mono">{lead.id}</span>
          </Fact>
          <Fact term="Name">{lead.name}</Fact>
          <Fact term="Phone">{lead.phone}</Fact>
          <Fact term="Email">{lead.email}</Fact>
          <Fact term="Status">{lead.status}</Fact>
          <Fact term="Disposition">{lead.disposition}</Fact>
          <Fact term="Sequence">{lead.sequence}</Fact>
        </dl>
      ) : (
        <p className="text-sm text-slate-600">No lead was stored with this event.</p>
      )}
      {attributes ? <JsonBlock label="Lead attributes" text={JSON.stringify(attributes, null, 2)} /> : null}
      <JsonBlock label="Stored payload" text={JSON.stringify(event.payload, null, 2)} />
    </section>
  );
}
