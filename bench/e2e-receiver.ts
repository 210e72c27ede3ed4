/** The end-to-end benchmark's receiving side: the webhook receiver in a worker thread, and its arrivals. */

import { Worker } from "node:worker_threads";
import { sleep } from "./e2e-model";

/**
 * The end-to-end benchmark's webhook receiver: node:http on 127.0.0.1 in a worker thread of its own, so
 * the load generator's event loop never delays an arrival's timestamp (nor the other way round). It
 * answers 200 at once and records, per request, the path, the event id it carries (the `callId` of the
 * activity, which the benchmark sets to the event id) and the arrival time on the shared clock
 * (`performance.timeOrigin + performance.now()`, milliseconds since the epoch with sub-ms precision).
 *
 * e2e/receiver.ts `startReceiver` keeps every header, the raw and the parsed body, and verifies
 * signatures when asked; the delivery path only needs arrival times, so this one does the least.
 */
export type Arrivals = { ids: string[]; paths: string[]; times: Float64Array };

export const clock = () => performance.timeOrigin + performance.now();

/**
 * The worker's code, plain JavaScript run with `eval` (a worker thread does not inherit tsx's loader, so
 * it cannot load this TypeScript file). Messages: "take" (arrivals since the last take), "clock", "close".
 */
const WORKER_SOURCE = `
const { createServer } = require("node:http");
const { parentPort } = require("node:worker_threads");
const clock = () => performance.timeOrigin + performance.now();
const MARKER = '"callId":"';
let ids = [];
let paths = [];
let times = [];
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const at = clock();
    const body = Buffer.concat(chunks).toString("latin1");
    const start = body.indexOf(MARKER);
    const end = start < 0 ? -1 : body.indexOf('"', start + MARKER.length);
    ids.push(start < 0 ? "" : body.slice(start + MARKER.length, end));
    paths.push(req.url || "/");
    times.push(at);
    res.writeHead(200, { "content-type": "application/json", "content-length": "11" });
    res.end('{"ok":true}');
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => parentPort.postMessage({ type: "listening", port: server.address().port }));
parentPort.on("message", (message) => {
  if (message.type === "take") {
    const out = { type: "arrivals", ids, paths, times: Float64Array.from(times) };
    ids = [];
    paths = [];
    times = [];
    parentPort.postMessage(out, [out.times.buffer]);
  } else if (message.type === "clock") {
    parentPort.postMessage({ type: "clock", at: clock() });
  } else if (message.type === "close") {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
`;

export type E2eReceiver = {
  url: string;
  /** Everything that arrived since the last call. */
  take: () => Promise<Arrivals>;
  /** How far the worker's clock is from this thread's, in ms (measured, should be ~0). */
  clockSkew: () => Promise<number>;
  close: () => Promise<void>;
};

/** Starts the receiver in a worker thread and waits until it listens. */
export async function startE2eReceiver(): Promise<E2eReceiver> {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: { type: string } & T) => {
        if (message.type !== type) return;
        worker.off("message", onMessage);
        worker.off("error", reject);
        resolve(message);
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
    });
  const { port } = await next<{ port: number }>("listening");
  return {
    url: `http://127.0.0.1:${port}`,
    take: async () => {
      const answer = next<Arrivals>("arrivals");
      worker.postMessage({ type: "take" });
      return answer;
    },
    clockSkew: async () => {
      const before = clock();
      const answer = next<{ at: number }>("clock");
      worker.postMessage({ type: "clock" });
      const { at } = await answer;
      return at - (before + clock()) / 2;
    },
    close: async () => {
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.postMessage({ type: "close" });
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      await worker.terminate();
    },
  };
}

/** Collects the receiver's arrivals: first arrival per (path, event id), duplicates counted. */
export function arrivalBook(receiver: E2eReceiver) {
  const first = new Map<string, number>();
  let duplicates = 0;
  const add = (a: Arrivals) => {
    for (let k = 0; k < a.ids.length; k++) {
      const key = `${a.paths[k]}|${a.ids[k]}`;
      if (first.has(key)) duplicates++;
      else first.set(key, a.times[k] as number);
    }
  };
  return {
    first,
    duplicates: () => duplicates,
    poll: async () => add(await receiver.take()),
    /** Polls until `expected(key)` keys all arrived, or the timeout; returns when the last one came. */
    waitFor: async (keys: string[], timeoutMs: number) => {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        add(await receiver.take());
        if (keys.every((k) => first.has(k)) || performance.now() > deadline) return;
        await sleep(50);
      }
    },
  };
}

export type ArrivalBook = ReturnType<typeof arrivalBook>;
