import "server-only";
import { sql } from "drizzle-orm";
import type { ConstructorOptions, JobInsert, PgBoss } from "pg-boss";
import type { Transaction } from "@/db/index";
import { getHandle } from "@/db/index";
import { markDeliveryAbandoned } from "@/db/queries/deliveries";
import {
  type ClaimedDelivery,
  claimDueDeliveries,
  extendLocks,
  type HeldDelivery,
  queueDeliveriesForEvents,
  queueNewRuns,
  releaseLocks,
} from "@/db/queries/delivery-queue";
import { abandonReplay, queueReplayBatch, type ReplayRun } from "@/db/queries/replays";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { isUuid } from "@/lib/uuid";
import { retryPolicyFrom } from "@/lib/webhooks/retry-policy";
import type { attemptUnderPolicy } from "./attempt";
import { disableFailingCallbacksNow } from "./auto-disable";
import { type ClaimLoop, startClaimLoop } from "./claim-loop";
import type { DeliveryEngine } from "./engine";
import { workJob } from "./job-workers";
import { type JobPayload, jobs } from "./jobs";
import type { resendPendingHandoffs } from "./outbox";
import { jobRetentionSeconds, purgeExpiredNow } from "./retention";

/** Deliveries in hand at once in one server (attempting, or waiting for their callback's turn). */
const MAX_IN_FLIGHT = 100;
/** A claim holds a row this long; the heartbeat renews it, so a dead server's rows are free within it. */
const LOCK_MS = 30_000;
const HEARTBEAT_MS = 10_000;
/** Claimed this often without an attempt recorded (it kept failing around the attempt): marked failed. */
const MAX_CLAIMS = 20;

/** What the embedded engine calls, given by the runtime that creates it. */
export type EmbeddedServices = {
  /** One attempt of a delivery under the retry policy (delivery/attempt.ts). */
  attempt: typeof attemptUnderPolicy;
  /** The outbox's re-send of events whose hand-off is pending (delivery/outbox.ts). */
  resendPendingHandoffs: typeof resendPendingHandoffs;
};

/**
 * The embedded engine. Deliveries queue on their own rows (db/queries/delivery-queue.ts): the hand-off
 * creates a window's deliveries already due and, as far as this server has room, already held by it, and
 * sends those at once; the claim loop takes the rest, retries (due later on the same row), Redeliver and
 * replays. pg-boss (on the app's database: its PGlite adapter, or its own pool on DATABASE_URL) runs the
 * schedules and replays. Everything survives restarts: a row held by a server that died is claimable
 * again once its lock runs out.
 */
export function createEmbeddedEngine(services: EmbeddedServices): DeliveryEngine {
  let boss: PgBoss | undefined;
  let deliveries: ClaimLoop<HeldDelivery> | undefined;
  const started = () => {
    if (!boss || !deliveries) throw new Error("The embedded delivery engine is not running");
    return { boss, deliveries };
  };

  const env = getEnv();
  const policy = retryPolicyFrom(env);

  /** pg-boss writing through the caller's transaction: its jobs exist once that commits. */
  async function inTx(tx: Transaction) {
    const { fromDrizzle } = await import("pg-boss");
    // Our transaction type types execute()'s result loosely; at run time both drivers answer { rows }.
    return { db: fromDrizzle(tx as unknown as Parameters<typeof fromDrizzle>[0], sql) };
  }

  /** A replay's batch: each delivery starts a new run on its row, in the replay's transaction. */
  async function queueRuns(tx: Transaction, runs: ReplayRun[]) {
    await queueNewRuns(
      tx,
      runs.map((run) => run.deliveryId),
    );
    setTimeout(() => deliveries?.wake(), 50).unref();
  }

  /** Queues a replay's deliveries batch by batch until none is left or it is cancelled (or deleted). */
  async function replay({ replayId }: { replayId: string }) {
    let state = "more";
    while (state === "more") state = await queueReplayBatch(replayId, queueRuns);
  }

  async function attempt(delivery: ClaimedDelivery | HeldDelivery, sent: () => void) {
    const { next } = await services.attempt(delivery.deliveryId, delivery.attempt, policy, {
      run: delivery.run,
      loaded: "loaded" in delivery ? delivery.loaded : undefined,
      sent,
    });
    // The retry is due on the row already; woken for it here, or found by any server's poll.
    if (next.kind === "retry") deliveries?.wakeIn(next.delayMs + 10);
  }

  let startupResend: Promise<void> | undefined;
  /** Aborted by stop(): a purge under way ends after its current batch instead of holding the stop. */
  let stopping = new AbortController();
  const engine: DeliveryEngine = {
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
      // pg-boss's own rows are kept no longer than RETENTION_DAYS either (its maintenance deletes them):
      // leadhook's queues and pg-boss's internal one that sends the scheduled jobs.
      const keepSecondsOf = new Map<string, number | undefined>();
      for (const job of Object.values(jobs)) {
        if (!("queue" in job)) continue;
        keepSecondsOf.set(job.queue, "keepSeconds" in job ? job.keepSeconds : undefined);
        await instance.createQueue(job.queue);
      }
      for (const queue of await instance.getQueues()) {
        const keep = jobRetentionSeconds(env.RETENTION_DAYS, keepSecondsOf.get(queue.name));
        await instance.updateQueue(queue.name, keep);
      }
      boss = instance;
      deliveries = startClaimLoop(
        { claim: claimDueDeliveries, extend: extendLocks, release: releaseLocks },
        {
          maxInFlight: MAX_IN_FLIGHT,
          perCallback: env.DELIVERY_CONCURRENCY,
          idlePollMs: 1000,
          lockMs: LOCK_MS,
          heartbeatMs: HEARTBEAT_MS,
          maxClaims: MAX_CLAIMS,
          run: attempt,
          abandon: (delivery) =>
            markDeliveryAbandoned(
              delivery.deliveryId,
              `it was taken up ${MAX_CLAIMS} times without an attempt being recorded`,
            ),
        },
      );
      await workJob(instance, jobs.resendHandoffs, {}, async () => {
        await services.resendPendingHandoffs(engine);
      });
      await workJob(instance, jobs.disableFailingCallbacks, {}, async () => {
        await disableFailingCallbacksNow();
      });
      await workJob(instance, jobs.purgeExpired, {}, async () => {
        await purgeExpiredNow(new Date(), stopping.signal);
      });
      for (const job of [jobs.resendHandoffs, jobs.disableFailingCallbacks, jobs.purgeExpired]) {
        await instance.schedule(job.queue, job.schedule);
      }
      // A replay's job id is its replay's id (startReplay): a malformed one still stops its replay.
      await workJob(
        instance,
        jobs.replay,
        {
          malformed: async (jobId, reason) => {
            if (isUuid(jobId)) await abandonReplay(jobId, `its job was malformed: ${reason}`);
          },
        },
        replay,
      );
      await workJob(instance, jobs.replayAbandoned, { batchSize: 5 }, (job) =>
        abandonReplay(job.replayId, "its job kept failing"),
      );
      // Whatever a previous run stored but never queued (it died before the hand-off) goes now, to this
      // engine; stop() waits for it.
      startupResend = services
        .resendPendingHandoffs(engine, { minAgeMs: 0 })
        .then(() => undefined)
        .catch((error) => logger.warn({ err: error }, "could not re-send pending events at start"));
    },

    async stop() {
      const instance = boss;
      stopping.abort();
      stopping = new AbortController();
      await startupResend;
      await deliveries?.stop(env.DELIVERY_TIMEOUT_MS + 2000);
      deliveries = undefined;
      boss = undefined;
      await instance?.stop({ graceful: true, timeout: env.DELIVERY_TIMEOUT_MS + 2000 });
    },

    // The fan-out of a whole hand-off window at once, here rather than as a job per event: the
    // deliveries are created due, those this server has room for already held, and sent at once.
    // Keyed by (event, callback), so a repeated hand-off creates and sends nothing twice.
    async handOff(eventIds) {
      const loop = started().deliveries;
      const { held, queued } = await queueDeliveriesForEvents(eventIds, {
        hold: loop.room(),
        lockMs: LOCK_MS,
      });
      loop.take(held);
      if (queued) loop.wake();
    },

    async redeliver(tx, delivery) {
      started();
      await queueNewRuns(tx, [delivery.deliveryId]);
      // Queued in the caller's transaction: visible once it commits, so look again shortly after.
      setTimeout(() => deliveries?.wake(), 50).unref();
    },

    async startReplay(tx, replayId) {
      const { replay: job } = jobs;
      const insert: JobInsert<JobPayload<typeof job>> = {
        id: replayId,
        data: { replayId, part: 0 },
        retryLimit: job.retries.limit,
        retryDelay: job.retries.delaySeconds,
        retryBackoff: job.retries.backoff,
        deadLetter: jobs.replayAbandoned.queue,
        deleteAfterSeconds: jobRetentionSeconds(env.RETENTION_DAYS, job.keepSeconds).deleteAfterSeconds,
      };
      await started().boss.insert(job.queue, [insert], await inTx(tx));
    },
  };
  return engine;
}
