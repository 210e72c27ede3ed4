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
type Runtime = { engine?: Promise<DeliveryEngine>; outbox?: Outbox };
const shared = globalThis as unknown as { leadhookRuntime?: Runtime };
shared.leadhookRuntime ??= {};
const runtime: Runtime = shared.leadhookRuntime;

export function getEngine(): Promise<DeliveryEngine> {
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
