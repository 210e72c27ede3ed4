import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requirePageMember } from "@/auth/member";
import { ProcessBreadcrumb } from "@/components/process-breadcrumb";
import { RefreshWhile } from "@/components/replays/refresh-while";
import { ReplayForm } from "@/components/replays/replay-form";
import { ReplayList } from "@/components/replays/replay-list";
import { getProcess } from "@/db/queries/processes";
import { leadValuesOf, listReplayCallbacks, listReplays, replaySinceFor } from "@/db/queries/replay-list";
import { can } from "@/lib/roles";
import { uuidParam } from "@/lib/uuid";
import { parseUtcMinute, type ReplayInput, utcMinute } from "@/lib/validations/replay";
import { processPageTitle } from "../page-title";
import { cancelReplayAction, previewReplayAction, startReplayAction } from "../replay-actions";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return processPageTitle((await params).id, "Replays");
}

const one = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);

export default async function ReplaysPage({ params, searchParams }: Props) {
  const { id } = await params;
  const search = await searchParams;
  const member = await requirePageMember(`/processes/${id}/replays`);
  const processId = uuidParam(id);
  const process = processId ? await getProcess(member.workspace.id, processId) : undefined;
  if (!process) notFound();
  const [callbacks, replays, leadValues] = await Promise.all([
    listReplayCallbacks(process.id),
    listReplays(process.id),
    leadValuesOf(process.id),
  ]);
  const mayReplay = can(member.role, "deliveries:redeliver");

  // A link from a callback ("Replay failed deliveries…", or the offer after switching it back on) picks
  // the callback, and starts at its last successful delivery unless it says when.
  const callback = callbacks.find((cb) => cb.id === one(search.callback));
  const from =
    parseUtcMinute(one(search.from) ?? "") ??
    (callback ? await replaySinceFor(callback.id) : undefined) ??
    new Date(Date.now() - 24 * 60 * 60 * 1000);
  const defaults: ReplayInput = {
    callbackId: callback?.id ?? "all",
    include: "failed",
    from: utcMinute(from),
    to: "",
    eventTypes: [],
    leadStatus: "",
    disposition: "",
  };

  return (
    <div className="space-y-6">
      <ProcessBreadcrumb process={process} section="Replays" />
      <div>
        <h1 className="text-2xl font-semibold tracking-tight break-words">Replays · {process.name}</h1>
        <p className="mt-1 max-w-2xl text-sm text-slate-600">
          Send deliveries again after fixing an endpoint: the ones that failed (or every one) for the events
          you choose, and the events a callback missed while it was turned off.
        </p>
      </div>
      {mayReplay ? (
        <ReplayForm
          callbacks={callbacks}
          defaults={defaults}
          leadValues={leadValues}
          preview={previewReplayAction.bind(null, member.workspace.id, process.id)}
          start={startReplayAction.bind(null, member.workspace.id, process.id)}
        />
      ) : (
        <p className="text-sm text-slate-600">
          You have the viewer role in this workspace: you can follow replays, but not start or cancel them.
        </p>
      )}
      <ReplayList
        replays={replays}
        callbacks={callbacks}
        cancel={mayReplay ? cancelReplayAction.bind(null, member.workspace.id, process.id) : undefined}
      />
      {/* Until every replay has settled: a cancelled one still has attempts in flight. */}
      <RefreshWhile active={replays.some((replay) => !replay.finishedAt)} />
    </div>
  );
}
