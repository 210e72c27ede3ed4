import type { CallbackHealth } from "@/lib/callback-health";
import type { ActionResult } from "@/lib/errors";
import type { DeliveryStatus } from "@/lib/validations/delivery-status";
import type { FailureHint } from "@/lib/webhooks/hints";

export type DeliveryRow = {
  id: string;
  eventType: string;
  isTest: boolean;
  status: DeliveryStatus;
  attemptCount: number;
  lastResponseStatus: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  /** When a retrying delivery's next attempt is due (the built-in queue; null on Inngest). */
  nextAttemptAt: string | null;
  createdAt: string;
  latencyMs: number | null;
  /** What the last failure means, in words (failed and retrying deliveries only). */
  hint: string | null;
};

export type HourlyBucket = { hour: string; total: number; succeeded: number };

export type AttemptRow = {
  id: string;
  attemptNumber: number;
  outcome: string;
  responseStatus: number | null;
  latencyMs: number;
  errorClass: string | null;
  errorMessage: string | null;
  responseExcerpt: string | null;
  requestHeaders: Record<string, string>;
  startedAt: string;
  hint: FailureHint | null;
};

export type TestSummary = {
  status: string;
  outcome: string;
  responseStatus: number | null;
  latencyMs: number;
  errorMessage: string | null;
  responseExcerpt: string | null;
  hint: FailureHint | null;
};

/** The delivery-log server actions of one process, taking the callback id. */
export type DeliveryActions = {
  load: (callbackId: string) => Promise<
    ActionResult<{
      disabledReason: string | null;
      /** The callback's health now, for the line above the list (null: it no longer exists). */
      health: CallbackHealth | null;
      recent: DeliveryRow[];
      hourly: HourlyBucket[];
    }>
  >;
  loadDetail: (
    callbackId: string,
    deliveryId: string,
  ) => Promise<ActionResult<{ payload: unknown; status: string; attempts: AttemptRow[] }>>;
  /** Absent for a role that may not send tests: the button is not shown. */
  sendTest?: (callbackId: string) => Promise<ActionResult<{ summary: TestSummary }>>;
  /** Absent for a role that may not redeliver. */
  redeliver?: (callbackId: string, deliveryId: string) => Promise<ActionResult>;
  /** The process's Replays page, for a role that may replay; absent otherwise. */
  replaysPath?: string;
};
