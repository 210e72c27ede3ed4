import "server-only";
import type { Transaction } from "@/db/index";
import { deliveryEngine, type EngineName, getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";

/** A delivery to (re)attempt: ids only, never secrets or bodies. */
export type DeliveryRef = { deliveryId: string; callbackId: string };

/**
 * The one seam between leadhook and whatever runs its background work. Both engines call the same
 * services (createDeliveriesForEvent, performDeliveryAttempt, the outbox) and the same retry policy.
 */
export interface DeliveryEngine {
  readonly name: EngineName;
  /** Starts the workers (the embedded engine); Inngest calls the app, so it has nothing to start. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Queues stored events for fan-out and marks them handed off; rejects when the engine did not take
   * them (they stay pending, and the re-send offers them again: both engines key the work by event).
   */
  handOff(eventIds: string[]): Promise<void>;
  /**
   * Queues a new run of a delivery inside `tx`, the transaction that marks it pending, so the row never
   * claims a redelivery that was not queued. Rejects when the engine cannot take it.
   */
  redeliver(tx: Transaction, delivery: DeliveryRef): Promise<void>;
  /**
   * Queues a replay inside `tx`, the transaction that stores it; the engine then queues its deliveries
   * in batches (queueReplayBatch) until none is left or it is cancelled.
   */
  startReplay(tx: Transaction, replayId: string): Promise<void>;
}

/** How the process page names the engine to an admin. */
export const engineDescriptions: Record<EngineName, string> = {
  embedded: "Deliveries run on the built-in queue in this server",
  inngest: "Deliveries run on Inngest",
};

const globalForEngine = globalThis as unknown as { leadhookEngine?: Promise<DeliveryEngine> };

/**
 * The engine this server uses, created once per process (instrumentation and route bundles share it
 * through globalThis) and started on first use.
 */
export function getEngine(): Promise<DeliveryEngine> {
  globalForEngine.leadhookEngine ??= createEngine();
  return globalForEngine.leadhookEngine;
}

async function createEngine(): Promise<DeliveryEngine> {
  const name = deliveryEngine(getEnv());
  const engine =
    name === "inngest"
      ? (await import("@/inngest/engine")).inngestEngine
      : (await import("./embedded")).createEmbeddedEngine();
  try {
    await engine.start();
  } catch (error) {
    globalForEngine.leadhookEngine = undefined;
    throw error;
  }
  return engine;
}

const RESTART_AFTER_MS = 5000;

/**
 * Started from instrumentation: the embedded engine's workers run as soon as the server is up. If it
 * cannot start (the database is unreachable), the server still answers and the start is tried again.
 */
export async function startEngine(): Promise<void> {
  try {
    const engine = await getEngine();
    logger.info({ engine: engine.name }, engineDescriptions[engine.name]);
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
  const engine = globalForEngine.leadhookEngine;
  globalForEngine.leadhookEngine = undefined;
  if (engine) await (await engine).stop();
}
