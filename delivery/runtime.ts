import "server-only";
import { deliveryEngine, engineDescriptions, getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { describeSchedule } from "@/lib/webhooks/retry-schedule";
import { attemptUnderPolicy } from "./attempt";
import type { DeliveryEngine } from "./engine";
import { createOutbox, type HandOffResult, type Outbox, resendPendingHandoffs } from "./outbox";

/**
 * The delivery engine of this server process, and its outbox: created once (instrumentation and the
 * route bundles share them through globalThis), started on first use. The engine is chosen by
 * LEADHOOK_ENGINE and given the services it calls, so no engine imports this module back.
 */
type Runtime = { engine?: Promise<DeliveryEngine>; outbox?: Outbox; stopping?: boolean };
const shared = globalThis as unknown as { leadhookRuntime?: Runtime };
shared.leadhookRuntime ??= {};
const runtime: Runtime = shared.leadhookRuntime;

export function getEngine(): Promise<DeliveryEngine> {
  // A server stopping its embedded engine starts none again: what is handed off now stays stored as
  // pending and is offered again by the outbox of a server that runs (or of this one's successor).
  if (runtime.stopping) return Promise.reject(new Error("this server is shutting down"));
  runtime.engine ??= createEngine();
  return runtime.engine;
}

async function createEngine(): Promise<DeliveryEngine> {
  const name = deliveryEngine(getEnv());
  const engine =
    name === "inngest"
      ? (await import("@/inngest/engine")).inngestEngine
      : (await import("./embedded")).createEmbeddedEngine({
          attempt: attemptUnderPolicy,
          resendPendingHandoffs,
        });
  try {
    await engine.start();
  } catch (error) {
    runtime.engine = undefined;
    throw error;
  }
  return engine;
}

runtime.outbox ??= createOutbox(getEngine);
const outbox: Outbox = runtime.outbox;

/** Hands stored events to this server's engine now (see Outbox.handOff). */
export function handOff(eventIds: string[], options?: { force?: boolean }): Promise<HandOffResult> {
  return outbox.handOff(eventIds, options);
}

/** Hands stored events to this server's engine with those of concurrent requests (the ingest route). */
export function handOffBatched(eventIds: string[]): Promise<void> {
  return outbox.handOffBatched(eventIds);
}

const RESTART_AFTER_MS = 5000;

/**
 * Started from instrumentation: the embedded engine's workers run as soon as the server is up. If it
 * cannot start (the database is unreachable), the server still answers and the start is tried again.
 */
export async function startEngine(): Promise<void> {
  try {
    const engine = await getEngine();
    const env = getEnv();
    logger.info({ engine: engine.name }, engineDescriptions[engine.name]);
    logger.info(
      { retrySchedule: env.DELIVERY_RETRY_SCHEDULE },
      describeSchedule(env.DELIVERY_RETRY_SCHEDULE),
    );
    if (env.DELIVERY_MAX_RETRIES !== undefined || env.DELIVERY_BACKOFF_BASE_MS !== undefined) {
      logger.warn(
        "DELIVERY_MAX_RETRIES and DELIVERY_BACKOFF_BASE_MS are honoured as the schedule above; set DELIVERY_RETRY_SCHEDULE instead",
      );
    }
  } catch (error) {
    logger.error(
      { err: error },
      `the delivery engine did not start; trying again in ${RESTART_AFTER_MS / 1000} s`,
    );
    setTimeout(() => void startEngine(), RESTART_AFTER_MS).unref();
  }
}

/** Stops the engine (tests and scripts); the next getEngine() creates a new one. */
export async function stopEngine(): Promise<void> {
  const engine = runtime.engine;
  runtime.engine = undefined;
  if (engine) await (await engine).stop();
}

/**
 * A rolling restart's SIGTERM (or Ctrl-C's SIGINT) on a production server: the embedded engine stops
 * claiming deliveries, lets the attempts in flight finish (up to DELIVERY_TIMEOUT_MS) and records them,
 * hands back those it held but had not started, and stops its jobs (a purge ends after its batch); only
 * then does Next's own handler run, which closes HTTP after the requests under way (an Inngest step among
 * them) and exits. So a restart neither cuts an attempt off (to be made again, twice at the receiver) nor
 * keeps its rows locked until their lock runs out. Ingest keeps answering meanwhile: with the embedded
 * engine what it stores is handed off by another server (or this one's successor); Inngest takes it as
 * ever. A second signal exits at once. Not in development: `next dev` kills its server 100 ms after a
 * signal. Called once from instrumentation, after Next installed its handlers.
 */
export function drainOnSignals(): void {
  if (process.env.NODE_ENV !== "production") return;
  const nexts = new Map<NodeJS.Signals, NodeJS.SignalsListener[]>();
  let draining: Promise<void> | undefined;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    nexts.set(signal, process.listeners(signal));
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (draining) {
        logger.warn({ signal }, "a second signal while stopping: exiting now");
        process.exit(exitCode(signal));
      }
      draining = drainThenExit(signal, nexts.get(signal) ?? []);
    });
  }
}

const exitCode = (signal: NodeJS.Signals) => (signal === "SIGINT" ? 130 : 143);

async function drainThenExit(signal: NodeJS.Signals, nexts: NodeJS.SignalsListener[]): Promise<void> {
  const { DELIVERY_TIMEOUT_MS } = getEnv();
  const started = Date.now();
  // The engine's stop waits for the attempts in flight and then for its jobs, each at most
  // DELIVERY_TIMEOUT_MS + 2 s; this is the backstop.
  const backstop = setTimeout(
    () => {
      logger.warn("stopping took too long: exiting with work still under way");
      exit(signal, nexts);
    },
    2 * DELIVERY_TIMEOUT_MS + 10_000,
  );
  backstop.unref();
  try {
    const engine = await runtime.engine?.catch(() => undefined);
    if (engine?.name === "embedded") {
      runtime.stopping = true;
      logger.info({ signal }, "stopping: claiming no more deliveries; finishing those in flight");
      await stopEngine();
      logger.info({ ms: Date.now() - started }, "stopped: every attempt in flight finished and was recorded");
    }
  } catch (error) {
    logger.error({ err: error }, "the delivery engine did not stop cleanly");
  }
  clearTimeout(backstop);
  exit(signal, nexts);
}

/**
 * Next's handler closes the HTTP server, waits for the requests under way and exits; without one (a
 * script), exit here. Either way, gone within a few seconds more.
 */
function exit(signal: NodeJS.Signals, nexts: NodeJS.SignalsListener[]): void {
  if (!nexts.length) process.exit(exitCode(signal));
  setTimeout(() => process.exit(exitCode(signal)), getEnv().DELIVERY_TIMEOUT_MS + 2000).unref();
  for (const next of nexts) next(signal);
}
