import type { Metadata, Route } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageMember } from "@/auth/member";
import { EventLogView } from "@/components/events/event-log-view";
import { eventsHref, parseEventSearch, processEventsPath } from "@/components/events/event-search-params";
import { ProcessBreadcrumb } from "@/components/process-breadcrumb";
import { listEventLog } from "@/db/queries/event-log";
import { getProcess } from "@/db/queries/processes";
import { getEnv } from "@/lib/env";
import { plural } from "@/lib/plural";
import { uuidParam } from "@/lib/uuid";
import { processPageTitle } from "../page-title";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return processPageTitle((await params).id, "Events");
}

export default async function ProcessEventsPage({ params, searchParams }: Props) {
  const { id } = await params;
  const search = parseEventSearch(await searchParams);
  const path = processEventsPath(id);
  const member = await requirePageMember(eventsHref(path, search.values, search.cursor));
  const processId = uuidParam(id);
  const process = processId ? await getProcess(member.workspace.id, processId) : undefined;
  if (!process) notFound();
  const page = await listEventLog(member.workspace.id, { ...search.filters, processId: process.id });

  return (
    <div className="space-y-6">
      <ProcessBreadcrumb process={process} section="Events" />
      <div>
        <h1 className="text-2xl font-semibold tracking-tight break-words">Events · {process.name}</h1>
        <p className="mt-1 max-w-2xl text-sm text-slate-600">
          Every lead event received for this process, newest first, with its delivery to each callback. To
          send failed deliveries again, use{" "}
          <Link href={`/processes/${process.id}/replays` as Route} className="text-brand-700 hover:underline">
            Replays
          </Link>
          . Events, their deliveries and attempts are kept for{" "}
          {plural(getEnv().RETENTION_DAYS, "day", "days")}, then deleted.
        </p>
      </div>
      <EventLogView path={path} search={search} page={page} showProcess={false} />
    </div>
  );
}
