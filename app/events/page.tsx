import type { Metadata } from "next";
import { requirePageMember } from "@/auth/member";
import { EventLogView } from "@/components/events/event-log-view";
import { EVENTS_PATH, eventsHref, parseEventSearch } from "@/components/events/event-search-params";
import { listEventLog } from "@/db/queries/event-log";
import { getEnv } from "@/lib/env";
import { plural } from "@/lib/plural";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Events" };

export default async function EventsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const search = parseEventSearch(await searchParams);
  const member = await requirePageMember(eventsHref(EVENTS_PATH, search.values, search.cursor));
  const page = await listEventLog(member.workspace.id, search.filters);

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Events</h1>
        <p className="mt-1 max-w-2xl text-sm text-slate-600">
          Every lead event received for this workspace's processes, newest first, with its delivery to each
          callback. Open one to see the exact body each callback received and every attempt. Events, their
          deliveries and attempts are kept for {plural(getEnv().RETENTION_DAYS, "day", "days")}, then deleted.
        </p>
      </div>
      <EventLogView path={EVENTS_PATH} search={search} page={page} />
    </div>
  );
}
