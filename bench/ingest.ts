import { fmt, load, type Row, sampleMemory } from "./harness";
import { BASELINE_PORT, type Bench, NEXT_PORT } from "./setup";

let counter = 0;
const event = (processId: string) => {
  counter += 1;
  return {
    id: `bench_${process.pid}_${counter}`,
    type: "call.completed",
    processId,
    occurredAt: new Date().toISOString(),
    lead: { id: `lead_${counter % 5000}`, name: "Asha Verma", phone: "+919812345678", status: "Interested" },
    activity: { type: "call", callId: `call_${counter}`, attempt: 1, outcome: "answered", durationSec: 94 },
  };
};

/** Single events: leadhook's route and the bare baseline, alternating, `rounds` times each. */
export async function benchIngestSingle(bench: Bench, seconds: number, rounds: number): Promise<Row> {
  const runs = {
    leadhook: [] as Awaited<ReturnType<typeof load>>[],
    baseline: [] as Awaited<ReturnType<typeof load>>[],
  };
  const peaks = { leadhook: 0, baseline: 0 };
  for (let round = 0; round < rounds; round++) {
    for (const target of ["leadhook", "baseline"] as const) {
      const server = target === "leadhook" ? bench.next : bench.baseline;
      const memory = sampleMemory(server.pid as number);
      const result = await load({
        url:
          target === "leadhook"
            ? `http://127.0.0.1:${NEXT_PORT}/api/events`
            : `http://127.0.0.1:${BASELINE_PORT}/`,
        headers: { authorization: `Bearer ${bench.key}` },
        body: () => JSON.stringify(event(bench.ingestProcessId)),
        connections: 20,
        seconds,
      });
      peaks[target] = Math.max(peaks[target], memory.stop().peak);
      if (result.errors || result.non2xx)
        throw new Error(`${target}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
      runs[target].push(result);
    }
  }
  const avg = (list: Awaited<ReturnType<typeof load>>[], key: "requestsPerSec" | "p50" | "p99") =>
    list.reduce((n, r) => n + r[key], 0) / list.length;
  const ratio = avg(runs.leadhook, "requestsPerSec") / avg(runs.baseline, "requestsPerSec");
  console.log(
    `  baseline: ${fmt.n(avg(runs.baseline, "requestsPerSec"))} req/s, p50 ${fmt.ms(avg(runs.baseline, "p50"))}, p99 ${fmt.ms(avg(runs.baseline, "p99"))}, peak ${fmt.mib(peaks.baseline)}`,
  );
  return {
    name: "Ingest, single events (next start vs bare node:http + pg)",
    throughput: `${fmt.n(avg(runs.leadhook, "requestsPerSec"))} events/s (baseline ${fmt.n(avg(runs.baseline, "requestsPerSec"))})`,
    p50: `${fmt.ms(avg(runs.leadhook, "p50"))} (baseline ${fmt.ms(avg(runs.baseline, "p50"))})`,
    p99: `${fmt.ms(avg(runs.leadhook, "p99"))} (baseline ${fmt.ms(avg(runs.baseline, "p99"))})`,
    peakMemory: `${fmt.mib(peaks.leadhook)} (baseline ${fmt.mib(peaks.baseline)})`,
    ratio: `${ratio.toFixed(2)}×`,
    goal: "≥ 0.5×",
    met: ratio >= 0.5 ? "yes" : "no",
  };
}

/** Batches of 100 events to leadhook's route. */
export async function benchIngestBatch(bench: Bench, seconds: number): Promise<Row> {
  const memory = sampleMemory(bench.next.pid as number);
  const result = await load({
    url: `http://127.0.0.1:${NEXT_PORT}/api/events`,
    headers: { authorization: `Bearer ${bench.key}` },
    body: () => JSON.stringify({ events: Array.from({ length: 100 }, () => event(bench.ingestProcessId)) }),
    connections: 8,
    seconds,
  });
  const peak = memory.stop().peak;
  if (result.errors || result.non2xx)
    throw new Error(`batch: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  const eventsPerSec = result.requestsPerSec * 100;
  return {
    name: "Ingest, batches of 100 events",
    throughput: `${fmt.n(eventsPerSec)} events/s (${fmt.n(result.requestsPerSec, 1)} req/s)`,
    p50: fmt.ms(result.p50),
    p99: fmt.ms(result.p99),
    peakMemory: fmt.mib(peak),
    ratio: "n/a",
    goal: "≥ 20,000 events/s",
    met: eventsPerSec >= 20_000 ? "yes" : "no",
  };
}
