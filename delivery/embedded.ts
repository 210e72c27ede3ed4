import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { ConstructorOptions, JobInsert, PgBoss } from "pg-boss";
import type { Transaction } from "@/db/index";
import { getHandle } from "@/db/index";
import { createDeliveriesForEvents, markDeliveryAbandoned } from "@/db/queries/deliveries";
import { abandonReplay, queueReplayBatch, type ReplayRun } from "@/db/queries/replays";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { retryPolicyFrom } from "@/lib/webhooks/retry-policy";
import { attemptUnderPolicy } from "./attempt";
import { AUTO_DISABLE_CRON, disableFailingCallbacksNow } from "./auto-disable";
import { type ClaimLoop, startClaimLoop } from "./claim-loop";
import type { DeliveryEngine, DeliveryRef } from "./engine";
import { workers } from "./job-workers";
import { resendPendingHandoffs } from "./outbox";

export const QUEUES = {
  deliver: "leadhook-deliver",
  /** Delivery jobs that failed past their retries without a final attempt being recorded. */
  abandoned: "leadhook-deliver-abandoned",
  resend: "leadhook-resend-handoffs",
  /** The periodic check that turns off callbacks whose every delivery failed for CALLBACK_DISABLE_AFTER. */
  autoDisable: "leadhook-disable-failing-callbacks",
  /** Replays queueing their deliveries, one job per replay. */
  replay: "leadhook-replay",
  /** Replay jobs that kept failing: the replay stops queueing and says why. */
  replayAbandoned: "leadhook-replay-abandoned",
} as const;

/** Attempts in flight at once in one server, across all callbacks. */
const MAX_IN_FLIGHT = 100;

/** One attempt of one run of a delivery. A run starts at attempt 1; Redeliver starts a new run. */
export type DeliverJob = DeliveryRef & { runId: string; attempt: number };
type ReplayJob = { replayId: string };

/**
 * Job ids are derived, never random, so a job queued twice (a re-sent hand-off, a fan-out run again
 * after a crash, a retry scheduled twice) is one job: pg-boss ignores an insert whose id exists.
 */
export function attemptJobId(runId: string, attempt: number): string {
  if (attempt === 1) return runId;
  const hash = createHash("sha256").update(`${runId}:${attempt}`).digest("hex");
  return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-8${hash.slice(13, 16)}-a${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
}

/**
 * The embedded engine: pg-boss on the app's own database (its PGlite adapter on the embedded database,
 * its own pool on DATABASE_URL), running in the app server. Jobs survive restarts. The hand-off creates
 * a window's deliveries and their jobs at once; the delivery loop is woken by the hand-off, Redeliver
 * and retries in this server, and polls each second for the rest (other servers' work, recovery).
 */
export function createEmbeddedEngine(): DeliveryEngine {
  let boss: PgBoss | undefined;
  let deliveries: ClaimLoop | undefined;
  const started = () => {
    if (!boss) throw new Error("The embedded delivery engine is not running");
    return boss;
  };

  const env = getEnv();
  const policy = retryPolicyFrom(env);
  const deliverJob = (data: DeliverJob, startAfter?: Date): JobInsert<DeliverJob> => ({
    id: attemptJobId(data.runId, data.attempt),
    data,
    startAfter,
    group: { id: data.callbackId },
    // pg-boss's retries are for failures around the attempt (the database unreachable while recording,
    // this server dying); the policy's own retries are new jobs. Past them, the delivery is marked failed.
    retryLimit: 20,
    retryDelay: 2,
    retryBackoff: true,
    retryDelayMax: 300,
    deadLetter: QUEUES.abandoned,
    deleteAfterSeconds: 24 * 60 * 60,
    // A server that dies mid-attempt stops its heartbeats: its jobs run again within ~20 s. Expiry only
    // bounds a job that is alive but stuck; a job may wait in memory for its callback's turn meanwhile.
    heartbeatSeconds: 10,
    expireInSeconds: 15 * 60,
  });

  /** pg-boss writing through the caller's transaction: its jobs exist once that commits. */
  async function inTx(tx: Transaction) {
    const { fromDrizzle } = await import("pg-boss");
    // Our transaction type types execute()'s result loosely; at run time both drivers answer { rows }.
    return { db: fromDrizzle(tx as unknown as Parameters<typeof fromDrizzle>[0], sql) };
  }

  /** A replay's batch: a delivery's first run keeps the fan-out's job id (one run), a rerun gets a new one. */
  async function queueRuns(tx: Transaction, runs: ReplayRun[]) {
    const jobs = runs.map((run) =>
      deliverJob({
        deliveryId: run.deliveryId,
        callbackId: run.callbackId,
        runId: run.eventId ? run.deliveryId : randomUUID(),
        attempt: 1,
      }),
    );
    await started().insert(QUEUES.deliver, jobs, await inTx(tx));
    setTimeout(() => deliveries?.wake(), 50).unref();
  }

  /** Queues a replay's deliveries batch by batch until none is left or it is cancelled (or deleted). */
  async function replay({ replayId }: ReplayJob) {
    let state = "more";
    while (state === "more") state = await queueReplayBatch(replayId, queueRuns);
  }

  async function attempt(job: DeliverJob) {
    const { next: step } = await attemptUnderPolicy(job.deliveryId, job.attempt, policy);
    if (step.kind !== "retry") return;
    const next = deliverJob({ ...job, attempt: job.attempt + 1 }, new Date(Date.now() + step.delayMs));
    await started().insert(QUEUES.deliver, [next]);
    // Woken when it falls due; a retry outlived by this server is found by another's idle poll.
    setTimeout(() => deliveries?.wake(), step.delayMs + 10).unref();
  }

  return {
    name: "embedded",

    async start() {
      if (boss) return;
      const { PgBoss, fromPglite } = await import("pg-boss");
      const handle = await getHandle();
      const connection: ConstructorOptions =
        handle.driver === "pglite" && handle.pglite
          ? { db: fromPglite(handle.pglite), backend: "pglite" }
          : { connectionString: env.DATABASE_URL, max: 5, application_name: "leadhook-queue" };
      const instance = new PgBoss({
        ...connection,
        schema: "pgboss",
        // Jobs of a server that died (no heartbeat for 10 s) are found within about 10 s more.
        superviseIntervalSeconds: 10,
        monitorIntervalSeconds: 10,
        instanceName: "leadhook",
      });
      instance.on("error", (error) => logger.error({ err: error }, "delivery queue error"));
      instance.on("warning", (warning) => logger.warn({ warning }, "delivery queue warning"));
      await instance.start();
      for (const name of Object.values(QUEUES)) {
        await instance.createQueue(name);
      }
      boss = instance;
      deliveries = startClaimLoop(instance, {
        queue: QUEUES.deliver,
        maxInFlight: MAX_IN_FLIGHT,
        perGroup: env.DELIVERY_CONCURRENCY,
        idlePollMs: 1000,
        heartbeatMs: 5000,
        run: attempt,
      });
      await workers(instance, QUEUES.abandoned, 1, { batchSize: 20 }, (job: DeliverJob) =>
        markDeliveryAbandoned(job.deliveryId, "its job kept failing before an attempt could be recorded"),
      );
      await instance.work(QUEUES.resend, async () => {
        await resendPendingHandoffs();
      });
      await instance.schedule(QUEUES.resend, "* * * * *");
      await instance.work(QUEUES.autoDisable, async () => {
        await disableFailingCallbacksNow();
      });
      await instance.schedule(QUEUES.autoDisable, AUTO_DISABLE_CRON);
      await workers(instance, QUEUES.replay, 1, { batchSize: 1 }, replay);
      await workers(instance, QUEUES.replayAbandoned, 1, { batchSize: 5 }, (job: ReplayJob) =>
        abandonReplay(job.replayId, "its job kept failing"),
      );
      // Whatever a previous run stored but never queued (it died before the hand-off) goes now.
      void resendPendingHandoffs({ minAgeMs: 0 }).catch((error) =>
        logger.warn({ err: error }, "could not re-send pending events at start"),
      );
    },

    async stop() {
      const instance = boss;
      await deliveries?.stop(env.DELIVERY_TIMEOUT_MS + 2000);
      deliveries = undefined;
      boss = undefined;
      await instance?.stop({ graceful: true, timeout: env.DELIVERY_TIMEOUT_MS + 2000 });
    },

    // The fan-out of a whole hand-off window at once, here rather than as a job per event (a queue hop
    // each): deliveries and their jobs are both keyed, so a repeat after a failure doubles nothing.
    async handOff(eventIds) {
      const targets = await createDeliveriesForEvents(eventIds);
      if (!targets.length) return;
      await started().insert(
        QUEUES.deliver,
        targets.map((t) =>
          deliverJob({ deliveryId: t.id, callbackId: t.callbackId, runId: t.id, attempt: 1 }),
        ),
      );
      deliveries?.wake();
    },

    async redeliver(tx, delivery) {
      const job = deliverJob({ ...delivery, runId: randomUUID(), attempt: 1 });
      await started().insert(QUEUES.deliver, [job], await inTx(tx));
      // Queued in the caller's transaction: visible once it commits, so look again shortly after.
      setTimeout(() => deliveries?.wake(), 50).unref();
    },

    async startReplay(tx, replayId) {
      const job: JobInsert<ReplayJob> = {
        id: replayId,
        data: { replayId },
        retryLimit: 10,
        retryDelay: 5,
        retryBackoff: true,
        deadLetter: QUEUES.replayAbandoned,
        deleteAfterSeconds: 7 * 24 * 60 * 60,
      };
      await started().insert(QUEUES.replay, [job], await inTx(tx));
    },
  };
}
