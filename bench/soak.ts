import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fmt, load, sampleMemory } from "./harness";
import { liveHeapBytes } from "./heap";
import { NEXT_PORT, setUp } from "./setup";

/**
 * `npm run bench -- --soak`: a fixed rate of single events for `seconds` against `next start`. The Inngest
 * stand-in runs the real fan-out function for every hand-off, as Inngest would. Memory is sampled every
 * second; afterwards the ledger must reconcile: every accepted event stored once, and every stored event
 * has a delivery event per subscribed callback. RSS shows what the process holds; the live heap after garbage
 * collection, from a heap snapshot at the end of warm-up and one at the end, shows whether objects pile up
 * (the test of a leak: RSS also grows while V8 sizes its heap). Returns the exit code.
 */
const WARM_UP_SECONDS = 60;

export async function runSoak(options: {
  seconds: number;
  rate: number;
  build: boolean;
  /** The results file whose soak section is replaced (bench/RESULTS.md). */
  out: string;
}): Promise<number> {
  const pending: string[] = [];
  const deliveryEventIds = new Set<string>();
  const snapshots = mkdtempSync(path.join(tmpdir(), "leadhook-soak-heap-"));
  const bench = await setUp({
    build: options.build,
    nextNodeArgs: ["--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${snapshots}`],
    onEvents: (events) => {
      for (const e of events) {
        if (e.name === "leadhook/event.received") pending.push(e.data.eventId as string);
        if (e.name === "leadhook/delivery.requested") deliveryEventIds.add(e.id);
      }
    },
  });
  const { processWithCallbacks } = await import("@/testing/fixtures");
  const { deliveryEventsFor } = await import("@/inngest/functions/fan-out");
  const { createDeliveriesForEvent } = await import("@/db/queries/deliveries");
  const { inngest } = await import("@/inngest/client");
  const { getDb } = await import("@/db/index");
  const { events, deliveries } = await import("@/db/schema");
  const { eq, inArray } = await import("drizzle-orm");
  const { subscribes } = await import("@/lib/webhooks/payload");
  const { process: soakProcess, callbackIds } = await processWithCallbacks("Soak", [
    { url: "https://a.example.com/", payloadFormat: "activity_update" },
    { url: "https://b.example.com/", payloadFormat: "activity_update" },
    { url: "https://c.example.com/", payloadFormat: "full_lead" },
  ]);
  const formats = ["activity_update", "activity_update", "full_lead"] as const;

  // The stand-in plays Inngest: four workers run the fan-out's two steps for every hand-off it receives.
  // (InngestTestEngine keeps every run's spies alive, so it cannot run thousands of times in one process.)
  let running = true;
  const fanOutWorker = Promise.all(
    Array.from({ length: 4 }, async () => {
      while (running || pending.length) {
        const eventId = pending.shift();
        if (!eventId) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        const targets = await createDeliveriesForEvent(eventId);
        if (targets.length) await inngest.send(deliveryEventsFor(eventId, targets));
      }
    }),
  );

  let n = 0;
  const memory = sampleMemory(bench.next.pid as number, 1000);
  console.log(`soak: ${options.rate} events/s for ${options.seconds} s...`);
  // Warm-up, then a heap snapshot between the two phases (it pauses the server for a moment, so it is
  // taken with no request in flight), then the rest of the run.
  const warmUp = Math.min(WARM_UP_SECONDS, Math.floor(options.seconds / 5));
  const phase = (seconds: number) =>
    load({
      url: `http://127.0.0.1:${NEXT_PORT}/api/events`,
      headers: { authorization: `Bearer ${bench.key}` },
      body: () => {
        n += 1;
        return JSON.stringify({
          id: `soak_${n}_${Date.now()}`,
          type: n % 5 === 0 ? "lead.updated" : "call.completed",
          processId: soakProcess.id,
          occurredAt: new Date().toISOString(),
          lead: { id: `lead_${n % 1000}`, status: "Interested" },
          activity: { type: "call", callId: `call_${n}`, outcome: "answered" },
        });
      },
      connections: 10,
      seconds,
      rate: options.rate,
      amount: seconds * options.rate,
    });
  const first = await phase(warmUp);
  const heapEarly = await liveHeapBytes(bench.next, snapshots);
  const warmSample = memory.samples.length;
  const main = await phase(options.seconds - warmUp);
  const { samples } = memory.stop();
  const heap = { early: heapEarly, late: await liveHeapBytes(bench.next, snapshots) };
  const result = {
    ...main,
    ok: first.ok + main.ok,
    errors: first.errors + main.errors,
    non2xx: first.non2xx + main.non2xx,
  };
  rmSync(snapshots, { recursive: true, force: true });
  running = false;
  await fanOutWorker;

  const db = await getDb();
  const stored = await db
    .select({ id: events.id, type: events.type })
    .from(events)
    .where(eq(events.processId, soakProcess.id));
  const accepted = result.ok;
  let missingDeliveries = 0;
  let missingEvents = 0;
  for (let i = 0; i < stored.length; i += 500) {
    const chunk = stored.slice(i, i + 500);
    const rows = await db
      .select({ eventId: deliveries.eventId, callbackId: deliveries.callbackId })
      .from(deliveries)
      .where(
        inArray(
          deliveries.eventId,
          chunk.map((e) => e.id),
        ),
      );
    const have = new Set(rows.map((r) => `${r.eventId}:${r.callbackId}`));
    for (const e of chunk) {
      callbackIds.forEach((cb, k) => {
        if (!subscribes(formats[k] as (typeof formats)[number], e.type)) return;
        if (!have.has(`${e.id}:${cb}`)) missingDeliveries += 1;
        if (!deliveryEventIds.has(`${e.id}:${cb}`)) missingEvents += 1;
      });
    }
  }
  await bench.tearDown();

  const warm = samples.slice(warmSample);
  const third = Math.max(1, Math.floor(warm.length / 3));
  const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / Math.max(1, list.length);
  const early = mean(warm.slice(0, third));
  const late = mean(warm.slice(-third));
  const growth = (late - early) / early;
  const heapGrowth = (heap.late - heap.early) / heap.early;
  const flat = heapGrowth < 0.1;
  const reconciled =
    result.errors === 0 &&
    result.non2xx === 0 &&
    stored.length === accepted &&
    !missingDeliveries &&
    !missingEvents;
  const section = [
    "<!-- soak -->",
    "## Soak",
    "",
    `\`npm run bench -- --soak --soak-seconds ${options.seconds} --rate ${options.rate}\`, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC.`,
    "",
    `- Requests: ${fmt.n(accepted)} accepted, ${result.non2xx} non-2xx, ${result.errors} errors; after warm-up p50 ${fmt.ms(result.p50)}, p99 ${fmt.ms(result.p99)}.`,
    `- Ledger: ${fmt.n(stored.length)} stored (accepted = stored: ${stored.length === accepted ? "yes" : "NO"}); missing delivery rows ${missingDeliveries}, missing delivery events ${missingEvents}.`,
    `- Memory of next start (RSS, sampled each second, first ${warmUp} s as warm-up): ${fmt.mib(early)} early, ${fmt.mib(late)} late, peak ${fmt.mib(Math.max(...samples))}; growth ${(growth * 100).toFixed(1)}%.`,
    `- Live JavaScript heap after garbage collection (heap snapshots at ${warmUp} s and at the end): ${(heap.early / 1024 / 1024).toFixed(1)} MiB → ${(heap.late / 1024 / 1024).toFixed(1)} MiB; growth ${(heapGrowth * 100).toFixed(1)}% (${flat ? "flat" : "GROWING"}: objects pile up when this grows).`,
    "",
  ].join("\n");
  console.log(section);
  const file = options.out;
  const previous = existsSync(file)
    ? readFileSync(file, "utf8").split("<!-- soak -->")[0]?.trimEnd()
    : "# Benchmark results";
  writeFileSync(file, `${previous}\n\n${section}`);
  return reconciled && flat ? 0 : 1;
}
