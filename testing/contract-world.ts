import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { LeadEvent } from "@/lib/validations/event";
import { type Receiver, type ReceiverReply, startReceiver } from "../e2e/receiver";
import { type AppServer, contractDb, startAppServer } from "./app-server";
import type { InspectResult, SetupResult } from "./contract-db";
import type { EngineConfig, EngineRuntime } from "./engines";

/**
 * The app's delivery settings in the contract suite: a short retry schedule, so retries finish within a
 * test, whose second wait is the longest (a doubling backoff would not end with a shorter one): the suite
 * checks each engine waits what the schedule says. Whole seconds, as the Inngest server keeps a retry's
 * time (inngest/functions/deliver.ts rounds it up, so a retry is never early there, at most 1 s late).
 */
export const CONTRACT_SETTINGS = {
  DELIVERY_RETRY_SCHEDULE: "1s,3s,1s",
  DELIVERY_CONCURRENCY: "3",
  DELIVERY_TIMEOUT_MS: "5000",
};

/** The schedule's waits, in milliseconds. */
export const CONTRACT_RETRY_WAITS = [1000, 3000, 1000];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A receiver that also counts requests in flight (answered after `delayMs`). */
export async function slowReceiver(delayMs: number, reply: () => ReceiverReply = () => ({ status: 200 })) {
  const stats = { inFlight: 0, maxInFlight: 0 };
  const receiver = await startReceiver({
    respond: async () => {
      stats.inFlight += 1;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      await sleep(delayMs);
      stats.inFlight -= 1;
      return reply();
    },
  });
  return Object.assign(receiver, { stats });
}

/** Replies in turn, then the last one for ever. */
export function inTurn(...replies: ReceiverReply[]): () => ReceiverReply {
  let n = 0;
  return () => replies[Math.min(n++, replies.length - 1)] as ReceiverReply;
}

export type World = {
  app: AppServer;
  setup: SetupResult;
  receivers: Record<string, Receiver>;
  post: (body: LeadEvent | { events: LeadEvent[] }) => Promise<Response>;
  event: (process: string, overrides?: Partial<LeadEvent>) => LeadEvent;
  /** Reads the delivery log (PGlite: stops the server for it and starts it again). */
  inspect: () => Promise<InspectResult>;
  /** Stores events as if the server died before handing them off. */
  storeWithoutHandOff: (events: LeadEvent[]) => Promise<void>;
  engine: EngineRuntime;
  close: () => Promise<void>;
};

/**
 * Starts receivers, seeds one process per scenario (callbacks pointing at their receivers), then the
 * engine and the app server on it.
 */
export async function startWorld(
  config: EngineConfig,
  port: number,
  scenarios: Record<
    string,
    { receivers: Record<string, Receiver>; callbacks: (r: Record<string, Receiver>) => object[] }
  >,
): Promise<World> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "leadhook-contract-"));
  const receivers: Record<string, Receiver> = {};
  const processes: Record<string, object[]> = {};
  for (const [name, scenario] of Object.entries(scenarios)) {
    Object.assign(receivers, scenario.receivers);
    processes[name] = scenario.callbacks(scenario.receivers);
  }
  const database = await config.database();
  const env: Record<string, string> = {
    ...CONTRACT_SETTINGS,
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    SECRETS_KEY: randomBytes(32).toString("hex"),
    BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
    ALLOW_PRIVATE_CALLBACK_URLS: "true",
    LOG_LEVEL: "warn",
  };
  const setup = await contractDb<SetupResult>("setup", { processes }, env);
  for (const [name, scenario] of Object.entries(scenarios)) {
    Object.values(scenario.receivers).forEach((receiver, n) => {
      const secret = setup.processes[name]?.callbacks[n]?.secret;
      if (secret) receiver.setSecret(secret);
    });
  }
  const engine = await config.start({ appUrl: `http://127.0.0.1:${port}` });
  Object.assign(env, engine.appEnv);
  let app: AppServer;
  try {
    app = await startAppServer({ port, env });
    await engine.ready?.();
  } catch (error) {
    await engine.stop();
    throw error;
  }

  let counter = 0;
  const runId = randomBytes(3).toString("hex");
  return {
    app,
    setup,
    receivers,
    engine,
    post: (body) =>
      fetch(`${app.url}/api/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${setup.key}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    event: (process, overrides = {}) => ({
      id: `evt_${runId}_${++counter}`,
      type: "call.completed",
      processId: setup.processes[process]?.id as string,
      occurredAt: new Date().toISOString(),
      lead: { id: `lead_${counter}`, name: "Asha Verma", phone: "+919812345678", status: "Interested" },
      activity: { type: "call", callId: `call_${counter}`, attempt: 1, outcome: "answered", durationSec: 94 },
      ...overrides,
    }),
    async inspect() {
      const processIds = Object.values(setup.processes).map((p) => p.id);
      if (database.shared) return contractDb<InspectResult>("inspect", { processIds }, env);
      await app.stop();
      try {
        return await contractDb<InspectResult>("inspect", { processIds }, env);
      } finally {
        await app.restart();
      }
    },
    async storeWithoutHandOff(events) {
      await contractDb("store", { events }, env);
    },
    async close() {
      await app.stop();
      await engine.stop();
      await Promise.all(Object.values(receivers).map((r) => r.close()));
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
