import { callbackLabelWithUrl } from "@/lib/callback-label";
import type { ActionResult } from "@/lib/errors";
import type { ReplayStatus } from "@/lib/validations/delivery-status";
import type { ReplayScope } from "@/lib/validations/replay";
import { Badge } from "../ui/badge";
import { DateTime } from "../ui/date-time";
import { CancelReplayButton } from "./cancel-replay-button";
import type { ReplayCallbackOption } from "./replay-form";

/** A replay as the list shows it: what the page's query (listReplays) hands over. */
export type ReplayProgress = Omit<ReplayScope, "processId"> & {
  id: string;
  status: ReplayStatus;
  /** What matched when it started, how many it queued, and how those went so far. */
  total: number;
  queued: number;
  succeeded: number;
  failed: number;
  inFlight: number;
  startedBy: string | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

const statusBadges = {
  queueing: { tone: "info", label: "Queueing" },
  delivering: { tone: "info", label: "Delivering" },
  finished: { tone: "ok", label: "Finished" },
  cancelled: { tone: "neutral", label: "Cancelled" },
} as const;

/** Whether a replay may still send something (its progress changes, and it can be cancelled). */
export function isRunning(replay: Pick<ReplayProgress, "status">): boolean {
  return replay.status === "queueing" || replay.status === "delivering";
}

/** The process's latest replays with their progress, newest first. */
export function ReplayList({
  replays,
  callbacks,
  cancel,
}: {
  replays: ReplayProgress[];
  callbacks: ReplayCallbackOption[];
  /** Absent for a role that may not replay. */
  cancel?: (replayId: string) => Promise<ActionResult>;
}) {
  return (
    <section aria-labelledby="replay-history" className="space-y-3">
      <h2 id="replay-history" className="text-lg font-semibold">
        Recent replays
      </h2>
      {replays.length === 0 ? (
        <p className="text-sm text-slate-600">No replays yet.</p>
      ) : (
        <ol className="space-y-3">
          {replays.map((replay) => (
            <ReplayItem
              key={replay.id}
              replay={replay}
              callback={callbacks.find((cb) => cb.id === replay.callbackId)}
              cancel={cancel}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

function ReplayItem({
  replay,
  callback,
  cancel,
}: {
  replay: ReplayProgress;
  callback: ReplayCallbackOption | undefined;
  cancel?: (replayId: string) => Promise<ActionResult>;
}) {
  const badge = statusBadges[replay.status];
  // More may match than counted at the start (a delivery that was still retrying then failed since).
  const total = Math.max(replay.total, replay.queued);
  const sent = replay.succeeded + replay.failed;
  const filters = [
    replay.eventTypes?.length ? `types ${replay.eventTypes.join(", ")}` : null,
    replay.leadStatus ? `lead status ${replay.leadStatus}` : null,
    replay.disposition ? `disposition ${replay.disposition}` : null,
  ].filter(Boolean);
  return (
    <li
      aria-label={`Replay started ${replay.createdAt.toISOString()}`}
      className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm"
    >
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={badge.tone}>{badge.label}</Badge>
        <span className="text-slate-700">
          Started <DateTime value={replay.createdAt} />
          {replay.startedBy ? ` by ${replay.startedBy}` : ""}
        </span>
        {cancel && isRunning(replay) ? (
          <span className="ml-auto">
            <CancelReplayButton replayId={replay.id} cancel={cancel} />
          </span>
        ) : null}
      </div>
      <p className="break-words text-slate-700">
        {callback ? callbackLabelWithUrl(callback) : "Every callback that was on"} ·{" "}
        {replay.includeSucceeded ? "every delivery" : "failed deliveries and missed events"} · events from{" "}
        <DateTime value={replay.since} /> to <DateTime value={replay.until} />
        {filters.length ? ` · ${filters.join(" · ")}` : ""}
      </p>
      <div className="space-y-1">
        <div
          role="progressbar"
          aria-label="Sent"
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={sent}
          className="h-2 overflow-hidden rounded-full bg-slate-100"
        >
          <div className="flex h-full">
            <div
              className="bg-emerald-500"
              style={{ width: `${(100 * replay.succeeded) / (total || 1)}%` }}
            />
            <div className="bg-red-500" style={{ width: `${(100 * replay.failed) / (total || 1)}%` }} />
          </div>
        </div>
        <p className="text-slate-700" data-testid="replay-progress">
          Queued {replay.queued} of {total} · {replay.succeeded} succeeded · {replay.failed} failed
          {replay.inFlight ? ` · ${replay.inFlight} in flight` : ""}
          {replay.finishedAt ? (
            <>
              {" "}
              · ended <DateTime value={replay.finishedAt} />
            </>
          ) : null}
        </p>
      </div>
      {replay.error ? (
        <p role="alert" className="text-amber-800">
          {replay.error}
        </p>
      ) : null}
    </li>
  );
}
