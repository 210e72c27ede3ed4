import { request } from "undici";
import { fmt, type Row } from "./harness";
import type { Bench } from "./setup";

const IN_FLIGHT = 50;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Runs `op` with IN_FLIGHT concurrent workers for `seconds`; returns ops/s and latency percentiles. */
async function drive(seconds: number, op: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  let next = 0;
  const heapPeak = { value: 0 };
  const timer = setInterval(() => {
    heapPeak.value = Math.max(heapPeak.value, process.memoryUsage().rss / 1024 / 1024);
  }, 250);
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < until) {
        const i = next++;
        const started = performance.now();
        await op(i);
        latencies.push(performance.now() - started);
      }
    }),
  );
  clearInterval(timer);
  latencies.sort((a, b) => a - b);
  return {
    perSec: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    peak: heapPeak.value,
  };
}

/**
 * The lib delivery path (load, decrypt, sign, auth headers, connect-time address check, attempt recorded)
 * against a raw undici.request POST loop, same receiver, 50 in flight, alternating.
 */
const SETUP_CHUNK = 20_000;

export async function benchDelivery(bench: Bench, seconds: number, rounds: number): Promise<Row> {
  const { processWithCallbacks } = await import("@/testing/fixtures");
  const { getDb } = await import("@/db/index");
  const { deliveries } = await import("@/db/schema");
  const { sql } = await import("drizzle-orm");
  const { performDeliveryAttempt } = await import("@/delivery/attempt");
  const receiver = await bench.receiver();
  const { callbackIds } = await processWithCallbacks("Bench delivery", [
    { url: `${receiver.url}/hook`, authType: "bearer", bearerToken: "bench-token" },
  ]);
  const callbackId = callbackIds[0] as string;
  const payload = {
    type: "call.completed",
    timestamp: new Date().toISOString(),
    data: { lead: { id: "l1", status: "Interested" } },
  };
  const body = JSON.stringify(payload);
  const db = await getDb();
  const results = {
    leadhook: [] as Awaited<ReturnType<typeof drive>>[],
    baseline: [] as Awaited<ReturnType<typeof drive>>[],
  };
  for (let round = 0; round < rounds; round++) {
    // Deliveries exist before the clock starts: creating them is the fan-out's work, not the delivery's.
    // Enough for a run about as fast as the baseline: running out would end the round with an error.
    // In statements of 20,000 rows: the app's pool cuts any query at 4 s (its request-path timeout), and
    // 250,000 rows in one statement (a 10-second round) took longer than that.
    const ids: string[] = [];
    for (let left = Math.ceil(seconds * 25_000); left > 0; left -= SETUP_CHUNK) {
      const prepared =
        await db.execute(sql`insert into ${deliveries} (callback_id, is_test, event_type, payload)
        select ${callbackId}::uuid, true, 'call.completed', ${body}::json
        from generate_series(1, ${Math.min(left, SETUP_CHUNK)}) returning id`);
      ids.push(...(prepared as unknown as { rows: { id: string }[] }).rows.map((r) => r.id));
    }
    results.leadhook.push(
      await drive(seconds, async (i) => {
        const id = ids[i];
        if (!id) throw new Error("ran out of prepared deliveries");
        const summary = await performDeliveryAttempt(id, { attemptNumber: 1, final: true });
        if (summary.outcome !== "succeeded") throw new Error(`delivery failed: ${summary.errorMessage}`);
      }),
    );
    results.baseline.push(
      await drive(seconds, async () => {
        const response = await request(`${receiver.url}/hook`, {
          method: "POST",
          body,
          headers: { "content-type": "application/json" },
        });
        await response.body.dump();
      }),
    );
    receiver.clear();
  }
  const avg = (list: Awaited<ReturnType<typeof drive>>[], key: "perSec" | "p50" | "p99" | "peak") =>
    list.reduce((n, r) => n + r[key], 0) / list.length;
  const ratio = avg(results.leadhook, "perSec") / avg(results.baseline, "perSec");
  return {
    name: "Delivery, 50 in flight (lib delivery + attempt recorded vs raw undici.request)",
    throughput: `${fmt.n(avg(results.leadhook, "perSec"))} deliveries/s (baseline ${fmt.n(avg(results.baseline, "perSec"))})`,
    p50: `${fmt.ms(avg(results.leadhook, "p50"))} (baseline ${fmt.ms(avg(results.baseline, "p50"))})`,
    p99: `${fmt.ms(avg(results.leadhook, "p99"))} (baseline ${fmt.ms(avg(results.baseline, "p99"))})`,
    peakMemory: `${fmt.mib(Math.max(avg(results.leadhook, "peak"), avg(results.baseline, "peak")))} (bench process)`,
    ratio: `${ratio.toFixed(2)}×`,
    goal: "≥ 0.7×",
    met: ratio >= 0.7 ? "yes" : "no",
  };
}
