import { abandonReplay, queueReplayBatch, type ReplayRun } from "@/db/queries/replays";
import { jobs } from "@/delivery/jobs";
import { inngest } from "../client";
import { withTimeout } from "../engine";
import { deliveryRequested, jobPayload, replayRequested } from "../events";

/** Batches one run queues before handing on to the next part (Inngest bounds the steps of a run). */
export const BATCHES_PER_RUN = 400;

/**
 * The delivery events of a replay's batch, sent inside its transaction. A delivery's first run has the id
 * the fan-out gives it (so both are one run); a rerun's id names the replay, so a retried batch repeats none.
 */
function sendRuns(replayId: string) {
  return async (_tx: unknown, runs: ReplayRun[]) => {
    const runStartedAt = new Date().toISOString();
    await withTimeout(
      inngest.send(
        runs.map((run) =>
          deliveryRequested.create(
            { deliveryId: run.deliveryId, callbackId: run.callbackId, runStartedAt },
            { id: run.eventId ? `${run.eventId}:${run.callbackId}` : `replay:${replayId}:${run.deliveryId}` },
          ),
        ),
      ),
    );
  };
}

/**
 * Queues a replay's deliveries, one step per batch, until none is left or it is cancelled. A replay not
 * found by the first batch is retried (its transaction may not have committed yet); later, it was deleted.
 */
export const replay = inngest.createFunction(
  {
    id: jobs.replay.name,
    name: "Queue a replay's deliveries",
    triggers: [replayRequested],
    retries: jobs.replay.retries.limit,
    concurrency: [{ key: "event.data.replayId", limit: 1 }],
    onFailure: async ({ event, error }) => {
      // Only the id is needed, as for a failed delivery: a malformed rest still stops the replay with why.
      const parsed = jobs.replay.payload.pick({ replayId: true }).safeParse(event.data.event.data);
      if (parsed.success) await abandonReplay(parsed.data.replayId, error.message);
    },
  },
  async ({ event, step }) => {
    const { replayId, part = 0 } = jobPayload(jobs.replay, event.data);
    for (let batch = 0; batch < BATCHES_PER_RUN; batch++) {
      const state = await step.run(`queue-${batch}`, async () => {
        const result = await queueReplayBatch(replayId, sendRuns(replayId));
        if (result === "missing" && part === 0 && batch === 0) {
          throw new Error(`Replay ${replayId} is not stored (yet)`);
        }
        return result;
      });
      if (state !== "more") return { replayId, state };
    }
    await step.sendEvent(
      "continue",
      replayRequested.create({ replayId, part: part + 1 }, { id: `replay:${replayId}:${part + 1}` }),
    );
    return { replayId, state: "continued" };
  },
);
