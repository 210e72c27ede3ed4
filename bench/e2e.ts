/**
 * The end-to-end benchmark's driver: the floor, then per configuration its server and measured runs.
 *
 * End to end: POST /api/events → 202 → the engine fans the event out to the process's 2 callbacks →
 * both arrive at a receiver on 127.0.0.1, for each delivery engine configuration, against the floor of a
 * raw undici POST loop to the same receiver.
 *
 * Per configuration: a fresh database (a throwaway PostgreSQL 15, or PGlite in a temporary DATA_DIR),
 * set up by bench/e2e-db.ts before `next start` opens it; then
 * - latency: single events sent open loop at a fixed rate (200 events/s: 400 deliveries/s) on a fixed
 *   schedule, never waiting for earlier answers; per delivery, arrival at the receiver minus the moment
 *   its event's 202 came back;
 * - saturation: batches of 50 events sent open loop at a rate above the goal (1,100 events/s: 2,200
 *   deliveries/s); the sustained rate is what arrives per second once the pipeline is full (while ingest
 *   still runs), and the backlog left when sending stops tells whether it kept up;
 * - afterwards (server stopped), the database's own timestamps of the latency run, stage by stage.
 *
 * The parts: e2e-configs.ts (the configurations), e2e-server.ts (`next start`, bench/e2e-db.ts),
 * e2e-load.ts (load generation), e2e-receiver.ts (the receiver and its arrivals), e2e-phases.ts (the
 * measured runs), e2e-cpu.ts (CPU use), e2e-stages.ts (the stage breakdown), e2e-report.ts (RESULTS.md).
 */

import type { ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CONFIGS, type Config } from "./e2e-configs";
import { ingestClient, measureFloor } from "./e2e-load";
import type { E2eOptions, E2eRun, EngineResult } from "./e2e-model";
import { measureLatency, measureSaturation, warmUp } from "./e2e-phases";
import { arrivalBook, type E2eReceiver, startE2eReceiver } from "./e2e-receiver";
import { appEnv, dbScript, startNext, stop } from "./e2e-server";
import { stages, type TimingRow } from "./e2e-stages";
import { fmt, sampleMemory } from "./harness";

/** One configuration: fresh database, `next start`, warm-up, latency run, saturation run, timings. */
async function runConfig(config: Config, receiver: E2eReceiver, options: E2eOptions): Promise<EngineResult> {
  const unavailable = config.unavailable?.(options);
  if (unavailable) return { config: config.config, label: config.label, skipped: unavailable };
  const storage = await config.prepare(options);
  const scratch = mkdtempSync(path.join(tmpdir(), "leadhook-bench-e2e-"));
  const env = appEnv(config, storage, options);
  const db = dbScript(scratch, { ...process.env, ...env });
  let next: ChildProcess | undefined;
  const result: EngineResult = { config: config.config, label: config.label };
  try {
    const setup = (await db("setup", `${receiver.url}/a`, `${receiver.url}/b`)) as {
      key: string;
      processId: string;
    };
    next = await startNext(config, env, options.profileDir);
    const memory = sampleMemory(next.pid as number);
    await storage.ready?.();
    const pids = { next: next.pid, ...storage.pids() };
    const ingest = ingestClient(setup);
    const book = arrivalBook(receiver);
    await warmUp(ingest, book, options);
    const { latency, latencyCpu } = await measureLatency(config.config, ingest, book, pids, options);
    result.latencyCpu = latencyCpu;
    result.latency = latency;
    result.saturation = await measureSaturation(config.config, ingest, book, pids, options);
    result.peakRssMiB = memory.stop().peak;
    if (options.profileDir) await storage.report?.(path.join(options.profileDir, `pg-${config.config}.txt`));
    await ingest.close();
    await stop(next);
    const timings = (await db("timings", "lat-")) as TimingRow[];
    if (options.profileDir)
      writeFileSync(
        path.join(options.profileDir, `timings-${config.config}.json`),
        JSON.stringify({ rows: timings, accepted: [...ingest.accepted], arrived: [...book.first] }),
      );
    result.stages = stages(timings, ingest.accepted, book.first, `${receiver.url}`);
  } finally {
    await stop(next);
    storage.cleanUp();
    rmSync(scratch, { recursive: true, force: true });
  }
  return result;
}

/** The whole end-to-end benchmark: the floor, then each configuration in turn. */
export async function benchE2e(options: E2eOptions): Promise<E2eRun> {
  const seconds = Math.min(30, options.seconds);
  if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
  const loadAverage = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(", ");
  const receiver = await startE2eReceiver();
  try {
    const skew = await receiver.clockSkew();
    console.log(`  floor (raw undici → receiver)... (receiver clock skew ${skew.toFixed(3)} ms)`);
    const floor = await measureFloor(receiver, Math.min(10, seconds));
    console.log(
      `  floor: ${fmt.n(floor.saturation.perSec)} req/s at ${floor.saturation.inFlight} in flight; at ${floor.fixedRate.rate}/s p50 ${fmt.ms(floor.fixedRate.p50)}, p99 ${fmt.ms(floor.fixedRate.p99)}`,
    );
    const results: EngineResult[] = [];
    for (const config of CONFIGS.filter((c) => options.engines.includes(c.config))) {
      console.log(`  ${config.label}...`);
      try {
        results.push(await runConfig(config, receiver, { ...options, seconds }));
      } catch (error) {
        const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
        console.error(`  ${config.config} failed: ${reason}`);
        results.push({ config: config.config, label: config.label, skipped: `failed: ${reason}` });
      }
    }
    return { floor, results, loadAverage };
  } finally {
    await receiver.close();
  }
}

/** Builds the app when asked or when there is no build yet (`next start` serves the production build). */
export function ensureBuild(force: boolean) {
  if (!force && existsSync(".next/BUILD_ID")) return;
  console.log("building (next build)...");
  execFileSync(path.resolve("node_modules/.bin/next"), ["build"], { stdio: "inherit" });
}
