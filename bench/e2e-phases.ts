/** The measured runs against one configuration's server: warm-up, latency at a fixed rate, saturation. */

import { type CpuUse, cpuMeter, type ProcessIds } from "./e2e-cpu";
import { type IngestClient, openLoop } from "./e2e-load";
import {
  BATCH,
  DRAIN_TIMEOUT_MS,
  type E2eOptions,
  LATENCY_RATE,
  type LatencyResult,
  percentiles,
  type SaturationResult,
  WARM_UP_SECONDS,
} from "./e2e-model";
import { type ArrivalBook, clock } from "./e2e-receiver";
import { fmt } from "./harness";

/** The receiver's keys of events' deliveries: each event goes to the callbacks at /a and /b. */
const keysOf = (ids: string[]) => ids.flatMap((id) => [`/a|${id}`, `/b|${id}`]);

/** Warm-up: JIT, connection pools, the queue's first fetches; its POST latencies and 503s are forgotten. */
export async function warmUp(ingest: IngestClient, book: ArrivalBook, options: E2eOptions) {
  const warm = Array.from(
    { length: WARM_UP_SECONDS * (options.latencyRate ?? LATENCY_RATE) },
    (_, i) => `warm-${i}`,
  );
  await openLoop(options.latencyRate ?? LATENCY_RATE, warm.length, (i) =>
    ingest.send([warm[i] as string], i),
  );
  await book.waitFor(keysOf(warm), DRAIN_TIMEOUT_MS);
  ingest.reset();
}

/** Latency at a fixed rate: single events open loop, per delivery the arrival minus its event's 202. */
export async function measureLatency(
  config: string,
  ingest: IngestClient,
  book: ArrivalBook,
  pids: ProcessIds,
  options: E2eOptions,
): Promise<{ latency: LatencyResult; latencyCpu: CpuUse }> {
  const latencyIds = Array.from(
    { length: options.seconds * (options.latencyRate ?? LATENCY_RATE) },
    (_, i) => `lat-${i}`,
  );
  const duplicatesBefore = book.duplicates();
  const meter = cpuMeter(pids);
  await openLoop(options.latencyRate ?? LATENCY_RATE, latencyIds.length, (i) =>
    ingest.send([latencyIds[i] as string], i),
  );
  const latencyCpu = meter();
  const latencyKeys = keysOf(latencyIds);
  await book.waitFor(latencyKeys, DRAIN_TIMEOUT_MS);
  const latencies: number[] = [];
  for (const key of latencyKeys) {
    const arrived = book.first.get(key);
    const answered = ingest.accepted.get(key.slice(3));
    // Not arrived: counted as slower than any that did, so the percentiles never flatter a loss.
    latencies.push(
      arrived !== undefined && answered !== undefined ? arrived - answered : Number.POSITIVE_INFINITY,
    );
  }
  const posts = percentiles(ingest.postLatency);
  const shed = ingest.shed();
  const latency = {
    rate: options.latencyRate ?? LATENCY_RATE,
    events: latencyIds.length,
    expected: latencyKeys.length,
    missing: latencies.filter((v) => v === Number.POSITIVE_INFINITY).length,
    duplicates: book.duplicates() - duplicatesBefore,
    ...percentiles(latencies),
    postP50: posts.p50,
    postP99: posts.p99,
    shed,
  };
  console.log(
    `  ${config}: latency at ${options.latencyRate ?? LATENCY_RATE} events/s: p50 ${fmt.ms(latency.p50)}, p99 ${fmt.ms(latency.p99)}, missing ${latency.missing}${shed ? `, ${fmt.n(shed)} requests answered 503 and sent again` : ""}`,
  );
  return { latency, latencyCpu };
}

/**
 * Saturation: offered above what is delivered. Counted from the arrival times: what arrived between
 * the first third of the sending window (the pipeline filling) and the last batch sent.
 */
export async function measureSaturation(
  config: string,
  ingest: IngestClient,
  book: ArrivalBook,
  pids: ProcessIds,
  options: E2eOptions,
): Promise<SaturationResult> {
  const requests = Math.ceil((options.saturationRate * options.seconds) / BATCH);
  const satIds: string[] = [];
  const satStart = clock();
  let sentAt = Number.POSITIVE_INFINITY;
  let cpu: CpuUse | undefined;
  const satCpu = cpuMeter(pids);
  const poller = setInterval(() => void book.poll(), 1000);
  await openLoop(options.saturationRate / BATCH, requests, async (r) => {
    const ids = Array.from({ length: BATCH }, (_, k) => `sat-${r * BATCH + k}`);
    satIds.push(...ids);
    if (r === requests - 1) {
      sentAt = clock();
      cpu = satCpu();
    }
    await ingest.send(ids, r);
  });
  clearInterval(poller);
  const saturationKeys = keysOf(satIds);
  await book.waitFor(saturationKeys, DRAIN_TIMEOUT_MS);
  const arrivals = saturationKeys.map((k) => book.first.get(k) ?? Number.POSITIVE_INFINITY);
  const window = (sentAt - satStart) / 1000;
  const steadyFrom = satStart + (sentAt - satStart) / 3;
  const perSecond = Array.from({ length: Math.ceil(window) }, (_, n) => {
    const from = satStart + n * 1000;
    return arrivals.filter((t) => t >= from && t < Math.min(from + 1000, sentAt)).length;
  });
  const missing = arrivals.filter((t) => t === Number.POSITIVE_INFINITY).length;
  const saturation = {
    offeredDeliveries: saturationKeys.length / window,
    ingestedEvents:
      satIds.filter((id) => (ingest.accepted.get(id) ?? Number.POSITIVE_INFINITY) <= sentAt).length / window,
    sustained: arrivals.filter((t) => t >= steadyFrom && t <= sentAt).length / ((sentAt - steadyFrom) / 1000),
    backlogAtEnd: arrivals.filter((t) => t > sentAt).length,
    drainMs: missing ? null : Math.max(0, Math.max(...arrivals) - sentAt),
    missing,
    cpu: cpu ?? satCpu(),
  };
  console.log(
    `  ${config}: saturation: ${fmt.n(saturation.sustained)} deliveries/s (offered ${fmt.n(saturation.offeredDeliveries)}), backlog at end ${saturation.backlogAtEnd}, per second ${perSecond.join(" ")}`,
  );
  return saturation;
}
