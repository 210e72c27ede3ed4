/** Load generation: the open-loop schedule, the floor's raw POSTs, the producer POSTing to /api/events. */

import { Pool } from "undici";
import { DRAIN_TIMEOUT_MS, type FloorResult, LATENCY_RATE, NEXT_PORT, percentiles, sleep } from "./e2e-model";
import { clock, type E2eReceiver } from "./e2e-receiver";

/** Tries of one request answered 503 before the bench gives up on the configuration. */
const MAX_TRIES = 20;

/**
 * Sends `total` items on a fixed schedule (`rate` per second), never waiting for earlier answers. Returns
 * once the schedule ended and the answers came, or `answersWithinMs` later (a slow server must not
 * stretch a measurement): what answered later is still recorded by `send`. Rejects if a send failed.
 */
export async function openLoop(
  rate: number,
  total: number,
  send: (i: number) => Promise<void>,
  answersWithinMs = DRAIN_TIMEOUT_MS,
): Promise<{ scheduleSeconds: number }> {
  const started = clock();
  const inFlight: Promise<void>[] = [];
  const failures: unknown[] = [];
  let i = 0;
  while (i < total) {
    const due = started + (i * 1000) / rate;
    const wait = due - clock();
    if (wait > 0.5) await sleep(wait);
    while (i < total && started + (i * 1000) / rate <= clock())
      inFlight.push(send(i++).catch((error) => void failures.push(error)));
  }
  const scheduleSeconds = (clock() - started) / 1000;
  await Promise.race([Promise.all(inFlight), sleep(answersWithinMs)]);
  if (failures.length) throw failures[0];
  return { scheduleSeconds };
}

/** The floor: raw undici POSTs of a webhook-sized body to the same receiver. */
export async function measureFloor(receiver: E2eReceiver, seconds: number): Promise<FloorResult> {
  const pool = new Pool(receiver.url, { connections: 64 });
  const body = (i: number) =>
    JSON.stringify({
      type: "call.completed",
      timestamp: new Date().toISOString(),
      data: {
        process: { id: "00000000-0000-0000-0000-000000000000", name: "Bench end to end" },
        lead: { id: `lead_${i % 5000}`, name: "Asha Verma", phone: "+919812345678", status: "Interested" },
        activity: { type: "call", callId: `floor-${i}`, attempt: 1, outcome: "answered", durationSec: 94 },
      },
    });
  const post = async (i: number) => {
    const started = clock();
    const response = await pool.request({
      path: "/floor",
      method: "POST",
      body: body(i),
      headers: { "content-type": "application/json", "webhook-id": `msg_${i}` },
    });
    await response.body.dump();
    if (response.statusCode !== 200) throw new Error(`receiver answered ${response.statusCode}`);
    return clock() - started;
  };
  const rate = LATENCY_RATE * 2;
  const fixed: number[] = [];
  await openLoop(rate, rate * seconds, async (i) => {
    fixed.push(await post(i));
  });
  const IN_FLIGHT = 50;
  const closed: number[] = [];
  const until = clock() + seconds * 1000;
  let n = 0;
  const started = clock();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (clock() < until) closed.push(await post(n++));
    }),
  );
  const elapsed = (clock() - started) / 1000;
  await receiver.take();
  await pool.close();
  return {
    fixedRate: { rate, ...percentiles(fixed) },
    saturation: { perSec: closed.length / elapsed, inFlight: IN_FLIGHT, ...percentiles(closed) },
  };
}

/**
 * The producer: POSTs events of the set-up process to `next start`'s /api/events with its ingest key, and
 * records when each event's 202 came back (`accepted`) and each single event's POST latency.
 */
export function ingestClient(setup: { key: string; processId: string }) {
  const ingest = new Pool(`http://127.0.0.1:${NEXT_PORT}`, { connections: 128 });
  const accepted = new Map<string, number>();
  const postLatency: number[] = [];
  const event = (id: string, n: number) => ({
    id,
    type: "call.completed",
    processId: setup.processId,
    occurredAt: new Date().toISOString(),
    lead: { id: `lead_${n % 5000}`, name: "Asha Verma", phone: "+919812345678", status: "Interested" },
    activity: { type: "call", callId: id, attempt: 1, outcome: "answered", durationSec: 94 },
  });
  // A 503 is the server shedding load (every database connection busy with requests queued behind it):
  // the bench does what the README tells a producer to do, waits Retry-After and sends the same events
  // again, and counts it. The POST latency and the 202 → arrival start from the first try.
  let shed = 0;
  const send = async (ids: string[], n: number) => {
    const body =
      ids.length === 1
        ? JSON.stringify(event(ids[0] as string, n))
        : JSON.stringify({ events: ids.map((id, k) => event(id, n * ids.length + k)) });
    const sent = clock();
    for (let tries = 1; ; tries++) {
      const response = await ingest.request({
        path: "/api/events",
        method: "POST",
        body,
        headers: { "content-type": "application/json", authorization: `Bearer ${setup.key}` },
      });
      const at = clock();
      if (response.statusCode === 503 && tries < MAX_TRIES) {
        shed++;
        await response.body.dump();
        const wait = Number(response.headers["retry-after"] ?? 1);
        await new Promise((resolve) => setTimeout(resolve, (Number.isFinite(wait) ? wait : 1) * 1000));
        continue;
      }
      if (response.statusCode !== 202) {
        const text = (await response.body.text()).slice(0, 300);
        throw new Error(`POST /api/events answered ${response.statusCode}: ${text}`);
      }
      await response.body.dump();
      for (const id of ids) accepted.set(id, at);
      if (ids.length === 1) postLatency.push(at - sent);
      return;
    }
  };
  return {
    send,
    /** When each event's 202 came back, by event id. */
    accepted,
    /** POST → 202 of each single event since the last reset. */
    postLatency,
    /** Requests answered 503 and sent again since the last reset. */
    shed: () => shed,
    /** Forgets the POST latencies and 503s so far (after the warm-up). */
    reset: () => {
      postLatency.length = 0;
      shed = 0;
    },
    close: () => ingest.close(),
  };
}

export type IngestClient = ReturnType<typeof ingestClient>;
