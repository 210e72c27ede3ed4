import { type ChildProcess, execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { cpus, homedir, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { Pool } from "undici";
import { inngestBinary } from "@/testing/inngest-server";
import { createPostgresServer } from "@/testing/postgres-server";
import { type Arrivals, clock, type E2eReceiver, startE2eReceiver } from "./e2e-receiver";
import { fmt, sampleMemory, startServer } from "./harness";

/**
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
 */

const run = promisify(execFile);
const NEXT_PORT = 3410;
/** Single events per second in the latency run, unless --e2e-latency-rate says otherwise. */
export const LATENCY_RATE = 200;
const BATCH = 50;
const WARM_UP_SECONDS = 3;
const DRAIN_TIMEOUT_MS = 10_000;
/** The Inngest server measured unless --e2e-inngest-bin names another (.ci/build-inngest builds v1.1.0). */
/** Where .ci/build-inngest caches the Inngest server (INNGEST_BIN overrides). */
export const DEFAULT_INNGEST_BIN =
  inngestBinary() ?? path.join(homedir(), ".cache/leadhook/inngest-v1.1.0/inngest");
// Not Inngest's default 8288, so a dev server someone left running is never measured by mistake.
const INNGEST_PORT = 8298;

export type E2eOptions = {
  /** Seconds per measured phase (latency, saturation), at most 30. */
  seconds: number;
  /** Events/s offered in the saturation run (batches of 50). */
  saturationRate: number;
  /** Single events/s offered in the latency run (default (options.latencyRate ?? LATENCY_RATE)). */
  latencyRate?: number;
  /** Which configurations to run: postgres, pglite, inngest (when its binary exists). */
  engines: string[];
  /** The Inngest server binary (`inngest dev` is run from it); default DEFAULT_INNGEST_BIN. */
  inngestBin?: string;
  /**
   * Profiling: `next start` writes a CPU profile (--cpu-prof) and Postgres runs with pg_stat_statements
   * (track = all), its top statements written beside the profile, per configuration; so are the
   * latency run's per-delivery timestamps (timings-<config>.json).
   */
  profileDir?: string;
  /** Extra environment for `next start` and the setup (e.g. DELIVERY_CONCURRENCY, LOG_LEVEL). */
  env?: Record<string, string>;
};

type Percentiles = { p50: number; p99: number; max: number; count: number };

export type FloorResult = {
  fixedRate: { rate: number } & Percentiles;
  saturation: { perSec: number; inFlight: number } & Percentiles;
};

export type EngineResult = {
  config: string;
  label: string;
  skipped?: string;
  latency?: Percentiles & {
    rate: number;
    events: number;
    expected: number;
    missing: number;
    duplicates: number;
    postP50: number;
    postP99: number;
    /** Requests answered 503 (load shed) and sent again after Retry-After. */
    shed: number;
  };
  saturation?: {
    offeredDeliveries: number;
    ingestedEvents: number;
    sustained: number;
    backlogAtEnd: number;
    drainMs: number | null;
    missing: number;
    cpu: CpuUse;
  };
  latencyCpu?: CpuUse;
  stages?: { label: string; p50: number; p99: number }[];
  peakRssMiB?: number;
};

/** Tries of one request answered 503 before the bench gives up on the configuration. */
const MAX_TRIES = 20;

const percentiles = (values: number[]): Percentiles => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? Number.NaN, count: sorted.length };
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds of a process, its reaped children and its live descendants (from /proc, 100 ticks/s). */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime, stime, cutime, cstime are fields 14-17 of stat(5); after the name they start at index 11.
    let ticks = [11, 12, 13, 14].reduce((n, i) => n + Number(fields[i] ?? 0), 0);
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      for (const child of children ? children.split(/\s+/) : []) ticks += cpuSeconds(Number(child)) * 100;
    }
    return ticks / 100;
  } catch {
    return 0;
  }
}

/** The process of `executable` whose command line names `-p <port>` (the throwaway Postgres, Inngest). */
function processListening(executable: string, port: string | number): number | undefined {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (cmdline[0]?.endsWith(executable) && cmdline.includes("-p") && cmdline.includes(String(port)))
        return Number(entry);
    } catch {
      // gone
    }
  }
  return undefined;
}

/** CPU seconds the whole machine spent busy (all but idle and iowait, from /proc/stat). */
function machineBusySeconds(): number {
  const fields = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "")
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / 100;
}

export type CpuUse = { next: number; postgres: number; bench: number; inngest: number; others: number };

/**
 * CPU use (cores) between calls of the server, Postgres, this process (load generator and receiver),
 * Inngest, and everything else on the machine: other work skews the figures, so it is reported.
 */
function cpuMeter(pids: { next?: number; postgres?: number; inngest?: number }) {
  const read = () => ({
    next: cpuSeconds(pids.next),
    postgres: cpuSeconds(pids.postgres),
    inngest: cpuSeconds(pids.inngest),
    bench: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    machine: machineBusySeconds(),
    at: performance.now(),
  });
  const start = read();
  return (): CpuUse => {
    const end = read();
    const seconds = (end.at - start.at) / 1000;
    const use = {
      next: (end.next - start.next) / seconds,
      postgres: (end.postgres - start.postgres) / seconds,
      bench: (end.bench - start.bench) / seconds,
      inngest: (end.inngest - start.inngest) / seconds,
    };
    const ours = use.next + use.postgres + use.bench + use.inngest;
    return { ...use, others: Math.max(0, (end.machine - start.machine) / seconds - ours) };
  };
}

/**
 * Sends `total` items on a fixed schedule (`rate` per second), never waiting for earlier answers. Returns
 * once the schedule ended and the answers came, or `answersWithinMs` later (a slow server must not
 * stretch a measurement): what answered later is still recorded by `send`. Rejects if a send failed.
 */
async function openLoop(
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

/** Collects the receiver's arrivals: first arrival per (path, event id), duplicates counted. */
function arrivalBook(receiver: E2eReceiver) {
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

type Config = {
  config: string;
  label: string;
  /** A reason not to run it, or undefined. */
  unavailable?: (options: E2eOptions) => string | undefined;
  prepare: (options: E2eOptions) => Promise<{
    env: Record<string, string>;
    pids: () => { postgres?: number; inngest?: number };
    /** Once `next start` answers (Inngest: the app syncs its functions). */
    ready?: () => Promise<void>;
    /** Writes what Postgres spent its time on (profiling only). */
    report?: (file: string) => Promise<void>;
    cleanUp: () => void;
  }>;
  engine: "embedded" | "inngest";
};

/** A throwaway PostgreSQL 15 (bench/setup.ts's), with pg_stat_statements when profiling. */
function throwawayPostgres(env: Record<string, string>): Config["prepare"] {
  return async ({ profileDir }) => {
    const postgres = createPostgresServer();
    const port = new URL(postgres.url).port;
    const query = async (text: string) => {
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      try {
        return (await client.query(text)).rows;
      } finally {
        await client.end();
      }
    };
    if (profileDir) {
      // A failure here must not leave the server running: the caller has nothing to clean up yet.
      await enableStatements().catch((error) => {
        postgres.destroy();
        throw error;
      });
    }
    async function enableStatements() {
      await query("alter system set shared_preload_libraries = 'pg_stat_statements'");
      postgres.stop();
      postgres.start();
      await query("alter system set pg_stat_statements.track = 'all'");
      await query("select pg_reload_conf()");
      await query("create extension pg_stat_statements");
    }
    return {
      env: { DATABASE_URL: postgres.url, ...env },
      pids: () => ({ postgres: processListening("/postgres", port) }),
      report: async (file) => {
        const rows = await query(`select calls, round(total_exec_time::numeric, 1) as total_ms,
            round(mean_exec_time::numeric, 3) as mean_ms, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 300) as query
          from pg_stat_statements order by total_exec_time desc limit 40`);
        writeFileSync(
          file,
          rows
            .map(
              (r) =>
                `${r.total_ms} ms total, ${r.calls} calls, ${r.mean_ms} ms mean, ${r.rows} rows: ${r.query}`,
            )
            .join("\n"),
        );
      },
      cleanUp: () => postgres.destroy(),
    };
  };
}

const CONFIGS: Config[] = [
  {
    config: "postgres",
    label: "Embedded engine (deliveries table as its queue) on PostgreSQL 15",
    engine: "embedded",
    prepare: throwawayPostgres({}),
  },
  {
    config: "pglite",
    label: "Embedded engine (deliveries table as its queue) on PGlite",
    engine: "embedded",
    prepare: async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "leadhook-bench-pglite-"));
      return {
        env: { DATABASE_URL: "", DATA_DIR: dir },
        pids: () => ({}),
        cleanUp: () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    config: "inngest",
    label: "Inngest (`inngest dev`) on PostgreSQL 15",
    engine: "inngest",
    unavailable: ({ inngestBin = DEFAULT_INNGEST_BIN }) =>
      existsSync(inngestBin) ? undefined : `no Inngest server binary at ${inngestBin}`,
    prepare: async (options) => {
      const inngestBin = options.inngestBin ?? DEFAULT_INNGEST_BIN;
      // testing/inngest-server.ts runs `inngest dev` (in memory, no discovery: the app syncs by PUT).
      process.env.INNGEST_BIN = inngestBin;
      const { startInngestServer } = await import("@/testing/inngest-server");
      const inngest = await startInngestServer("dev", INNGEST_PORT, `http://127.0.0.1:${NEXT_PORT}`);
      const postgres = await throwawayPostgres({})(options).catch(async (error) => {
        await inngest.stop();
        throw error;
      });
      return {
        ...postgres,
        env: { ...postgres.env, ...inngest.appEnv },
        pids: () => ({ ...postgres.pids(), inngest: processListening(inngestBin, INNGEST_PORT) }),
        ready: inngest.ready,
        cleanUp: () => {
          postgres.cleanUp();
          void inngest.stop();
        },
      };
    },
  },
];

async function stop(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** One configuration: fresh database, `next start`, warm-up, latency run, saturation run, timings. */
async function runConfig(config: Config, receiver: E2eReceiver, options: E2eOptions): Promise<EngineResult> {
  const unavailable = config.unavailable?.(options);
  if (unavailable) return { config: config.config, label: config.label, skipped: unavailable };
  const storage = await config.prepare(options);
  const scratch = mkdtempSync(path.join(tmpdir(), "leadhook-bench-e2e-"));
  const env: Record<string, string> = {
    NODE_ENV: "production",
    SECRETS_KEY: randomBytes(32).toString("hex"),
    BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
    ALLOW_PRIVATE_CALLBACK_URLS: "true",
    LOG_LEVEL: "error",
    NEXT_TELEMETRY_DISABLED: "1",
    LEADHOOK_ENGINE: config.engine,
    PGLITE_DATA_DIR: "",
    INNGEST_DEV: "",
    INNGEST_BASE_URL: "",
    INNGEST_EVENT_KEY: "",
    INNGEST_SIGNING_KEY: "",
    ...storage.env,
    ...options.env,
  };
  const childEnv = { ...process.env, ...env };
  const dbScript = async (...args: string[]) => {
    const out = path.join(scratch, `${args[0]}.json`);
    await run(
      process.execPath,
      [
        "--conditions=react-server",
        "--import",
        "tsx",
        path.resolve("bench/e2e-db.ts"),
        args[0] as string,
        out,
        ...args.slice(1),
      ],
      { env: childEnv, maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: { stderr?: string; message: string }) => {
      throw new Error(`bench/e2e-db.ts ${args[0]} failed: ${error.stderr?.trim() || error.message}`);
    });
    return JSON.parse(readFileSync(out, "utf8"));
  };
  let next: ChildProcess | undefined;
  const result: EngineResult = { config: config.config, label: config.label };
  try {
    const setup = (await dbScript("setup", `${receiver.url}/a`, `${receiver.url}/b`)) as {
      key: string;
      processId: string;
    };
    next = await startServer(
      process.execPath,
      [
        ...(options.profileDir
          ? [
              "--cpu-prof",
              `--cpu-prof-dir=${options.profileDir}`,
              `--cpu-prof-name=next-${config.config}.cpuprofile`,
            ]
          : []),
        path.resolve("node_modules/next/dist/bin/next"),
        "start",
        "--port",
        String(NEXT_PORT),
      ],
      env,
      `http://127.0.0.1:${NEXT_PORT}/api/openapi.json`,
    );
    const memory = sampleMemory(next.pid as number);
    await storage.ready?.();
    const pids = { next: next.pid, ...storage.pids() };
    const ingest = new Pool(`http://127.0.0.1:${NEXT_PORT}`, { connections: 128 });
    const book = arrivalBook(receiver);
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
    const keysOf = (ids: string[]) => ids.flatMap((id) => [`/a|${id}`, `/b|${id}`]);

    // Warm-up: JIT, connection pools, the queue's first fetches.
    const warm = Array.from(
      { length: WARM_UP_SECONDS * (options.latencyRate ?? LATENCY_RATE) },
      (_, i) => `warm-${i}`,
    );
    await openLoop(options.latencyRate ?? LATENCY_RATE, warm.length, (i) => send([warm[i] as string], i));
    await book.waitFor(keysOf(warm), DRAIN_TIMEOUT_MS);
    postLatency.length = 0;
    shed = 0;

    // Latency at a fixed rate.
    const latencyIds = Array.from(
      { length: options.seconds * (options.latencyRate ?? LATENCY_RATE) },
      (_, i) => `lat-${i}`,
    );
    const duplicatesBefore = book.duplicates();
    const latencyCpu = cpuMeter(pids);
    await openLoop(options.latencyRate ?? LATENCY_RATE, latencyIds.length, (i) =>
      send([latencyIds[i] as string], i),
    );
    result.latencyCpu = latencyCpu();
    const latencyKeys = keysOf(latencyIds);
    await book.waitFor(latencyKeys, DRAIN_TIMEOUT_MS);
    const latencies: number[] = [];
    for (const key of latencyKeys) {
      const arrived = book.first.get(key);
      const answered = accepted.get(key.slice(3));
      // Not arrived: counted as slower than any that did, so the percentiles never flatter a loss.
      latencies.push(
        arrived !== undefined && answered !== undefined ? arrived - answered : Number.POSITIVE_INFINITY,
      );
    }
    const posts = percentiles(postLatency);
    result.latency = {
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
      `  ${config.config}: latency at ${options.latencyRate ?? LATENCY_RATE} events/s: p50 ${fmt.ms(result.latency.p50)}, p99 ${fmt.ms(result.latency.p99)}, missing ${result.latency.missing}${shed ? `, ${fmt.n(shed)} requests answered 503 and sent again` : ""}`,
    );

    // Saturation: offered above what is delivered. Counted from the arrival times: what arrived between
    // the first third of the sending window (the pipeline filling) and the last batch sent.
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
      await send(ids, r);
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
    result.saturation = {
      offeredDeliveries: saturationKeys.length / window,
      ingestedEvents:
        satIds.filter((id) => (accepted.get(id) ?? Number.POSITIVE_INFINITY) <= sentAt).length / window,
      sustained:
        arrivals.filter((t) => t >= steadyFrom && t <= sentAt).length / ((sentAt - steadyFrom) / 1000),
      backlogAtEnd: arrivals.filter((t) => t > sentAt).length,
      drainMs: missing ? null : Math.max(0, Math.max(...arrivals) - sentAt),
      missing,
      cpu: cpu ?? satCpu(),
    };
    console.log(
      `  ${config.config}: saturation: ${fmt.n(result.saturation.sustained)} deliveries/s (offered ${fmt.n(result.saturation.offeredDeliveries)}), backlog at end ${result.saturation.backlogAtEnd}, per second ${perSecond.join(" ")}`,
    );
    result.peakRssMiB = memory.stop().peak;
    if (options.profileDir) await storage.report?.(path.join(options.profileDir, `pg-${config.config}.txt`));
    await ingest.close();
    await stop(next);
    const timings = (await dbScript("timings", "lat-")) as TimingRow[];
    if (options.profileDir)
      writeFileSync(
        path.join(options.profileDir, `timings-${config.config}.json`),
        JSON.stringify({ rows: timings, accepted: [...accepted], arrived: [...book.first] }),
      );
    result.stages = stages(timings, accepted, book.first, `${receiver.url}`);
  } finally {
    await stop(next);
    storage.cleanUp();
    rmSync(scratch, { recursive: true, force: true });
  }
  return result;
}

type TimingRow = {
  eventId: string;
  url: string;
  received: number;
  handedOff: number | null;
  deliveryCreated: number;
  attemptStarted: number | null;
  attemptRecorded: number | null;
};

/** Where the time between the 202 and the arrival goes, from the database's timestamps of each delivery. */
function stages(
  rows: TimingRow[],
  accepted: Map<string, number>,
  arrived: Map<string, number>,
  receiverUrl: string,
) {
  const points = rows.map((row) => ({
    ...row,
    answered: accepted.get(row.eventId) ?? null,
    arrived: arrived.get(`${row.url.slice(receiverUrl.length)}|${row.eventId}`) ?? null,
  }));
  type Point = (typeof points)[number];
  const spans: [string, keyof Point, keyof Point][] = [
    ["stored (received_at) → 202 at the client", "received", "answered"],
    ["202 → delivery row created (Inngest: hand-off, fan-out run)", "answered", "deliveryCreated"],
    ["delivery row created → request sent", "deliveryCreated", "attemptStarted"],
    ["request sent → arrival at the receiver", "attemptStarted", "arrived"],
    ["arrival → attempt recorded", "arrived", "attemptRecorded"],
    ["202 → arrival (total)", "answered", "arrived"],
  ];
  return spans.flatMap(([label, from, to]) => {
    const values = points.flatMap((p) => {
      const a = p[from];
      const b = p[to];
      return typeof a === "number" && typeof b === "number" ? [b - a] : [];
    });
    if (!values.length) return [];
    const { p50, p99 } = percentiles(values);
    return [{ label, p50, p99 }];
  });
}

/** The whole end-to-end benchmark: the floor, then each configuration in turn. */
export async function benchE2e(options: E2eOptions) {
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

// Issue 16's goals for the embedded engine on PostgreSQL: at 200 single events/s, and at saturation.
const GOAL = { p50: 25, p99: 50, perSec: 2000, cores: 0.9 };

const cpuText = (c: CpuUse) =>
  [c.next, c.postgres, c.bench, ...(c.inngest ? [c.inngest] : []), c.others]
    .map((v) => v.toFixed(2))
    .join(" / ") + (c.inngest ? " (Inngest before others)" : "");

/** The RESULTS.md section: how it was measured, the figures, and the stage breakdown. */
export function e2eReport(
  { floor, results, loadAverage }: Awaited<ReturnType<typeof benchE2e>>,
  options: E2eOptions & { command: string },
): string {
  const cores = `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${fmt.n(totalmem() / 1024 ** 3, 0)} GiB memory, Node ${process.version}`;
  const head = [
    "Configuration",
    `Latency p50, 202 → arrival (${options.latencyRate ?? LATENCY_RATE} events/s)`,
    "p99",
    "Arrived / expected (duplicates)",
    "POST p50 / p99",
    "Sustained deliveries/s",
    "Backlog when sending stopped",
    "CPU in cores at 200 events/s: next / Postgres / bench / other processes",
    "CPU at saturation",
    "Peak RSS of next start",
    "Goal",
    "Met",
  ];
  const rows: string[][] = [
    [
      "Floor: raw `undici` POST loop to the same receiver",
      `${fmt.ms(floor.fixedRate.p50)} per request (${floor.fixedRate.rate} req/s)`,
      fmt.ms(floor.fixedRate.p99),
      "n/a",
      "n/a",
      `${fmt.n(floor.saturation.perSec)} (${floor.saturation.inFlight} in flight, p50 ${fmt.ms(floor.saturation.p50)}, p99 ${fmt.ms(floor.saturation.p99)})`,
      "n/a",
      "n/a",
      "n/a",
      "n/a",
      "n/a",
      "n/a",
    ],
  ];
  for (const r of results) {
    const goal =
      r.config === "postgres"
        ? `p50 ≤ ${GOAL.p50} ms, p99 ≤ ${GOAL.p99} ms, next + Postgres < ${GOAL.cores} cores, ≥ ${fmt.n(GOAL.perSec)} deliveries/s`
        : "report";
    if (r.skipped || !r.latency || !r.saturation) {
      rows.push([
        r.label,
        `not measured: ${r.skipped ?? "no result"}`,
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        goal,
        "n/a",
      ]);
      continue;
    }
    const { latency: l, saturation: s } = r;
    const keptUp = s.backlogAtEnd <= s.offeredDeliveries; // less than a second's worth left over
    const sustained = keptUp
      ? `≥ ${fmt.n(s.sustained)} (kept up with the ${fmt.n(s.offeredDeliveries)} offered)`
      : `${fmt.n(s.sustained)} (offered ${fmt.n(s.offeredDeliveries)}; events answered 202: ${fmt.n(s.ingestedEvents)}/s)`;
    const ms = (v: number) =>
      Number.isFinite(v) ? fmt.ms(v) : `not arrived ${DRAIN_TIMEOUT_MS / 1000} s after the run`;
    const met =
      r.config !== "postgres"
        ? "n/a"
        : [
            `p50 ${l.p50 <= GOAL.p50 ? "yes" : "no"}`,
            `p99 ${l.p99 <= GOAL.p99 ? "yes" : "no"}`,
            `CPU ${r.latencyCpu ? (r.latencyCpu.next + r.latencyCpu.postgres < GOAL.cores ? "yes" : "no") : "n/a"}`,
            `throughput ${s.sustained >= GOAL.perSec ? "yes" : "no"}`,
          ].join(", ");
    rows.push([
      r.label,
      ms(l.p50),
      ms(l.p99),
      `${fmt.n(l.expected - l.missing)} / ${fmt.n(l.expected)} (${l.duplicates})`,
      `${fmt.ms(l.postP50)} / ${fmt.ms(l.postP99)}${l.shed ? ` (${fmt.n(l.shed)} answered 503, sent again)` : ""}`,
      sustained,
      `${fmt.n(s.backlogAtEnd)} deliveries${s.drainMs !== null ? `, drained in ${fmt.n(s.drainMs / 1000, 1)} s` : `, ${fmt.n(s.missing)} still missing ${DRAIN_TIMEOUT_MS / 1000} s later`}`,
      r.latencyCpu ? cpuText(r.latencyCpu) : "n/a",
      cpuText(s.cpu),
      r.peakRssMiB ? fmt.mib(r.peakRssMiB) : "n/a",
      goal,
      met,
    ]);
  }
  const md = (lines: string[][]) => lines.map((l) => `| ${l.join(" | ")} |`).join("\n");
  const measured = results.filter((r) => r.stages?.length);
  const labels = [...new Set(measured.flatMap((r) => (r.stages ?? []).map((s) => s.label)))];
  const stageTable = measured.length
    ? [
        "",
        `Where the time goes in the latency run (p50 / p99 per delivery, from the database's timestamps: \`events.received_at\`,`,
        "`deliveries.created_at`, `delivery_attempts.started_at` /",
        "`created_at`; the 202 and the arrival from the load generator's and the receiver's clock, the same machine's):",
        "",
        md([
          ["Stage", ...measured.map((r) => r.config)],
          ["---", ...measured.map(() => "---")],
          ...labels.map((label) => [
            label,
            ...measured.map((r) => {
              const stage = r.stages?.find((s) => s.label === label);
              return stage ? `${fmt.ms(stage.p50)} / ${fmt.ms(stage.p99)}` : "n/a";
            }),
          ]),
        ]),
      ]
    : [];
  return [
    "<!-- e2e -->",
    "## End to end: POST /api/events to the receiver",
    "",
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cores}. Command: \`${options.command}\`.`,
    `Load average when it started: ${loadAverage}; the CPU columns show what other processes took meanwhile.`,
    "Each event goes to 2 callbacks (one Bearer, one custom auth header) at two paths of one `node:http` receiver on 127.0.0.1,",
    "in a worker thread of the bench process: it answers 200 at once and records the arrival time per event id and path.",
    `Per configuration a fresh database and \`next start\` on the production build; ${WARM_UP_SECONDS} s of warm-up at ${options.latencyRate ?? LATENCY_RATE} events/s, then:`,
    `latency: single events POSTed open loop (fixed schedule, never waiting for an answer) at ${options.latencyRate ?? LATENCY_RATE} events/s for ${options.seconds} s,`,
    "per delivery the arrival minus the moment its event's 202 came back; saturation: batches of",
    `${BATCH} events offered open loop at ${fmt.n(options.saturationRate)} events/s (${fmt.n(options.saturationRate * 2)} deliveries/s) for ${options.seconds} s, sustained = arrivals per`,
    `second after the first third; afterwards each run is given ${DRAIN_TIMEOUT_MS / 1000} s to finish. Floor: \`undici\` POSTs of a webhook-sized body`,
    `to the same receiver, ${floor.fixedRate.rate} req/s open loop, then ${floor.saturation.inFlight} in flight.`,
    "",
    md([head, head.map(() => "---"), ...rows]),
    ...stageTable,
    "",
  ].join("\n");
}

const MARKERS = ["<!-- e2e -->", "<!-- e2e-analysis -->", "<!-- analysis -->", "<!-- soak -->"];

/**
 * Puts the e2e section into RESULTS.md: in place of the previous one, or before the hand-written
 * sections (the e2e analysis, the analysis, the soak), which are kept as they are.
 */
export function withE2eSection(previous: string, section: string): string {
  const start = previous.indexOf("<!-- e2e -->");
  if (start >= 0) {
    const after = MARKERS.slice(1)
      .map((m) => previous.indexOf(m, start + 1))
      .filter((i) => i > start);
    const end = after.length ? Math.min(...after) : previous.length;
    return `${previous.slice(0, start)}${section}\n${previous.slice(end)}`;
  }
  const kept = MARKERS.slice(1)
    .map((m) => previous.indexOf(m))
    .filter((i) => i >= 0);
  if (!kept.length) return `${previous.trimEnd()}\n\n${section}`;
  const at = Math.min(...kept);
  return `${previous.slice(0, at)}${section}\n${previous.slice(at)}`;
}
