import type { Transaction } from "@/db/index";
import type { EngineName } from "@/lib/env";

/** A delivery to (re)attempt: ids only, never secrets or bodies. */
export type DeliveryRef = { deliveryId: string; callbackId: string };

/**
 * The one seam between leadhook and whatever runs its background work (delivery/runtime.ts creates the
 * one this server uses). Both engines run the jobs of delivery/jobs.ts with the same services (the
 * attempt under the retry policy, the outbox's re-send) and the same retry policy.
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
