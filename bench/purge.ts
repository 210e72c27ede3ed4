import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import pg from "pg";
import { fmt, load, type Row, table } from "./harness";
import { type Bench, NEXT_PORT } from "./setup";

const DAY_MS = 86_400_000;
const RATE = 200;
const TABLES = ["events", "deliveries", "delivery_attempts"] as const;

type Census = Record<(typeof TABLES)[number], { rows: number; bytes: number; indexBytes: number }>;

let counter = 0;
const event = (processId: string) => {
  counter += 1;
  return JSON.stringify({
    id: `purge_ingest_${process.pid}_${counter}`,
    type: "lead.status_changed",
    processId,
    occurredAt: new Date().toISOString(),
    lead: { id: `lead_${counter % 500}`, status: "Interested" },
  });
};

/**
 * N events older than the retention, handed off, each with one succeeded delivery and one attempt, in a
 * process and callback of their own (the ingest process of the other benchmarks is left alone). Set-wise
 * SQL on a connection of its own (the app's pool stops any query after 4 s); then VACUUM ANALYZE, as old
 * rows would have been long since, and a CHECKPOINT so the seeding's writes do not land in what is measured.
 */
async function seed(client: pg.Client, workspaceId: string, events: number, retentionDays: number) {
  const processId = (
    await client.query<{ id: string }>(
      "insert into processes (workspace_id, name) values ($1, 'Bench purge') returning id",
      [workspaceId],
    )
  ).rows[0]?.id as string;
  const callbackId = (
    await client.query<{ id: string }>(
      `insert into lead_update_callbacks (process_id, position, url, signing_secret_encrypted)
       values ($1, 0, 'https://hooks.example.com/purge', 'v1:unused') returning id`,
      [processId],
    )
  ).rows[0]?.id as string;
  // One a second, going back from a day past the retention: the oldest is events + retention + 1 days old.
  await client.query(
    `insert into events (workspace_id, process_id, external_id, type, occurred_at, payload, received_at,
                         handed_off_at, handoff_attempts)
     select $1::uuid, $2::uuid, 'purge_' || g, 'lead.status_changed', t - interval '2 seconds',
            jsonb_build_object('id', 'purge_' || g, 'type', 'lead.status_changed', 'processId', $2::uuid::text,
                               'occurredAt', t - interval '2 seconds',
                               'lead', jsonb_build_object('id', 'lead_' || g % 50000, 'status', 'Interested',
                                                          'phone', '+9198' || lpad((g % 50000)::text, 8, '0'))),
            t, t + interval '50 milliseconds', 1
     from generate_series(1, $3::int) g
     cross join lateral (select now() - ($4::int + 1) * interval '1 day' - g * interval '1 second' as t) x`,
    [workspaceId, processId, events, retentionDays],
  );
  await client.query(
    `insert into deliveries (callback_id, event_id, event_type, payload, status, attempt_count,
                             last_response_status, last_attempt_at, created_at, updated_at)
     select $1, e.id, e.type,
            json_build_object('type', e.type, 'timestamp', e.received_at, 'data',
                              json_build_object('lead', e.payload -> 'lead', 'event', e.external_id)),
            'succeeded', 1, 200, e.received_at + interval '80 milliseconds',
            e.received_at + interval '50 milliseconds', e.received_at + interval '80 milliseconds'
     from events e where e.process_id = $2`,
    [callbackId, processId],
  );
  await client.query(
    `insert into delivery_attempts (delivery_id, callback_id, attempt_number, outcome, response_status,
                                    latency_ms, request_headers, started_at, created_at)
     select d.id, d.callback_id, 1, 'succeeded', 200, 30,
            jsonb_build_object('content-type', 'application/json', 'user-agent', 'leadhook',
                               'webhook-id', d.id::text,
                               'webhook-timestamp', extract(epoch from d.created_at)::bigint::text,
                               'webhook-signature', 'v1,(redacted)'),
            d.last_attempt_at - interval '30 milliseconds', d.last_attempt_at
     from deliveries d where d.callback_id = $1`,
    [callbackId],
  );
  await client.query(`vacuum analyze ${TABLES.join(", ")}`);
  await client.query("checkpoint");
  return processId;
}

async function census(client: pg.Client): Promise<Census> {
  const result = {} as Census;
  for (const name of TABLES) {
    const { rows } = await client.query<{ rows: string; bytes: string; index_bytes: string }>(
      `select (select count(*) from ${name}) as rows, pg_total_relation_size($1) as bytes,
              pg_indexes_size($1) as index_bytes`,
      [name],
    );
    const r = rows[0];
    result[name] = { rows: Number(r?.rows), bytes: Number(r?.bytes), indexBytes: Number(r?.index_bytes) };
  }
  return result;
}

const mib = (bytes: number) => `${fmt.n(bytes / 1024 ** 2, 0)} MiB`;

function censusTable(before: Census, after: Census): string {
  const line = (label: string, cell: (c: Census[keyof Census]) => string, c: Census) =>
    `| ${label} | ${TABLES.map((t) => cell(c[t])).join(" | ")} |`;
  const size = (c: Census[keyof Census]) => `${mib(c.bytes)} (indexes ${mib(c.indexBytes)})`;
  return [
    `| | ${TABLES.join(" | ")} |`,
    `| --- | ${TABLES.map(() => "---:").join(" | ")} |`,
    line("rows before", (c) => fmt.n(c.rows), before),
    line("rows after", (c) => fmt.n(c.rows), after),
    line("size before (pg_total_relation_size: table, TOAST and indexes)", size, before),
    line("size after", size, after),
  ].join("\n");
}

export type PurgeResult = { rows: Row[]; details: string; measured: boolean };

/**
 * The retention purge on N expired events (issue 20 §5): ingest at 200 single events/s, quiet and then
 * while `purgeExpired` runs in this process with its defaults (batches of 1,000, 20 ms apart), runs looped
 * until nothing is left or the measured window ends (a run's budget is cut at the window's end). Then the
 * purge finishes without load. Rows and sizes of events, deliveries and delivery_attempts before and after.
 */
export async function benchPurge(bench: Bench, seconds: number, events: number): Promise<PurgeResult> {
  const { getEnv } = await import("@/lib/env");
  const { purgeExpired } = await import("@/db/queries/retention");
  const env = getEnv();
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const seedStarted = performance.now();
    const processId = await seed(client, bench.workspaceId, events, env.RETENTION_DAYS);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    console.log(
      `  seeded ${fmt.n(events)} expired events (+ deliveries, attempts) in ${seedSeconds.toFixed(1)} s`,
    );
    const before = await census(client);
    const loadAverage = loadavg();

    const producer = (s: number) =>
      load({
        url: `http://127.0.0.1:${NEXT_PORT}/api/events`,
        headers: { authorization: `Bearer ${bench.key}` },
        body: () => event(bench.ingestProcessId),
        connections: 20,
        seconds: s,
        rate: RATE,
      });
    await producer(Math.min(seconds, 3)); // warm-up, not counted
    const quiet = await producer(seconds);

    const now = new Date();
    const cutoff = {
      before: new Date(now.getTime() - env.RETENTION_DAYS * DAY_MS),
      auditBefore: new Date(now.getTime() - env.AUDIT_RETENTION_DAYS * DAY_MS),
    };
    let deleted = 0;
    let more = true;
    let runs = 0;
    const windowEnd = Date.now() + seconds * 1000;
    const purgeStarted = performance.now();
    const purging = (async () => {
      while (more && Date.now() < windowEnd) {
        const result = await purgeExpired({ ...cutoff, budgetMs: Math.min(60_000, windowEnd - Date.now()) });
        runs += 1;
        deleted += result.events;
        more = result.more;
      }
      return (performance.now() - purgeStarted) / 1000;
    })();
    const loaded = await producer(seconds);
    const windowPurgeSeconds = await purging;
    const duringDeleted = deleted;

    // The rest without load, in runs of the scheduled job's budget (60 s).
    const finishStarted = performance.now();
    while (more) {
      const result = await purgeExpired(cutoff);
      runs += 1;
      deleted += result.events;
      more = result.more;
    }
    const finishSeconds = (performance.now() - finishStarted) / 1000;
    const totalSeconds = windowPurgeSeconds + finishSeconds;
    const after = await census(client);
    const left = Number(
      (
        await client.query<{ n: string }>("select count(*) as n from events where process_id = $1", [
          processId,
        ])
      ).rows[0]?.n,
    );
    // Only the seeded events were expired: everything ingested since (this and earlier benchmarks) stays.
    const othersBefore = before.events.rows - events;
    const othersAfter = after.events.rows;
    const ingestedHere = othersAfter - othersBefore;
    const rate = (n: number, s: number) => (s > 0 ? n / s : 0);
    const duringRate = rate(duringDeleted, windowPurgeSeconds);
    const ratio = loaded.p99 / Math.max(quiet.p99, 1);
    const clean = loaded.errors + loaded.non2xx + quiet.errors + quiet.non2xx === 0;
    const allGone = left === 0 && deleted === events && othersAfter >= othersBefore;
    console.log(
      `  purge: deleted ${fmt.n(deleted)} of ${fmt.n(events)} expired events in ${runs} run${runs === 1 ? "" : "s"}, ${totalSeconds.toFixed(1)} s` +
        ` (${fmt.n(duringDeleted)} during the ${seconds} s window: ${fmt.n(duringRate)} events/s; ${fmt.n(ingestedHere)} events ingested meanwhile, warm-up included, kept)`,
    );

    const rows: Row[] = [
      {
        name: `Ingest at ${RATE} events/s while the retention purge runs (${fmt.n(events)} expired events, each with a delivery and an attempt; batches of 1,000, 20 ms apart)`,
        throughput: `ingest ${fmt.n(loaded.ok)} of ${fmt.n(loaded.ok + loaded.non2xx + loaded.errors)} accepted (quiet ${fmt.n(quiet.ok)} of ${fmt.n(quiet.ok + quiet.non2xx + quiet.errors)}); purge ${fmt.n(duringDeleted)} events in ${windowPurgeSeconds.toFixed(1)} s: ${fmt.n(duringRate)} events/s (${fmt.n(3 * duringRate)} rows/s)`,
        p50: `${fmt.ms(loaded.p50)} (quiet ${fmt.ms(quiet.p50)})`,
        p99: `${fmt.ms(loaded.p99)} (quiet ${fmt.ms(quiet.p99)})`,
        peakMemory: "n/a",
        ratio: `${ratio.toFixed(2)}× p99`,
        goal: "p99 ≤ 2× quiet",
        met: ratio <= 2 && clean ? "yes" : "no",
      },
      {
        name: `Retention purge of ${fmt.n(events)} expired events to the end (the rest without load, runs of 60 s)`,
        throughput: `${fmt.n(rate(deleted, totalSeconds))} events/s (${fmt.n(3 * rate(deleted, totalSeconds))} rows/s); ${totalSeconds.toFixed(1)} s in ${runs} run${runs === 1 ? "" : "s"}`,
        p50: "n/a",
        p99: "n/a",
        peakMemory: "n/a",
        ratio: "n/a",
        goal: "every expired event gone with its delivery and attempt, nothing newer",
        met: allGone ? "yes" : `no (${fmt.n(left)} left)`,
      },
    ];
    const commit = git(["rev-parse", "--short", "HEAD"]);
    const dirty = git(["status", "--porcelain", "--untracked-files=no"]) !== "";
    const details = [
      `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC at ${commit}${dirty ? " (with uncommitted changes)" : ""} on ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}.`,
      `Load average when it started: ${loadAverage.map((l) => l.toFixed(2)).join(", ")}.`,
      `Seeded with SQL in ${seedSeconds.toFixed(0)} s: ${fmt.n(events)} events received ${env.RETENTION_DAYS + 1} days ago and earlier (one a second), handed off,`,
      "each with one succeeded delivery and one attempt, in a process of their own; then VACUUM ANALYZE and a CHECKPOINT.",
      `Ingest: autocannon, 20 connections, ${RATE} single events/s to \`next start\` for ${seconds} s quiet (after ${Math.min(seconds, 3)} s of warm-up),`,
      `then ${seconds} s while \`purgeExpired\` (db/queries/retention.ts, defaults) runs in the bench process.`,
      "",
      table(rows),
      "",
      censusTable(before, after),
      "",
      `Events after: the ${fmt.n(ingestedHere)} ingested during the benchmark (warm-up included), not expired. Sizes after are`,
      "what PostgreSQL keeps: deleted rows leave free space that VACUUM marks for reuse, not a smaller file.",
      "",
    ].join("\n");
    return { rows, details, measured: events >= 1_000_000 };
  } finally {
    await client.end();
  }
}

function git(args: string[]): string {
  try {
    return execFileSync("git", args, { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

export const PURGE_START = "<!-- purge -->";
export const PURGE_END = "<!-- /purge -->";

/** The purge section of RESULTS.md, in place of the previous one, or at the end of the file. */
export function withPurgeSection(previous: string, section: string): string {
  const block = `${PURGE_START}\n${section.trimEnd()}\n${PURGE_END}`;
  const start = previous.indexOf(PURGE_START);
  const end = previous.indexOf(PURGE_END, start + 1);
  if (start >= 0 && end > start)
    return `${previous.slice(0, start)}${block}${previous.slice(end + PURGE_END.length)}`;
  return `${previous.trimEnd()}\n\n${block}\n`;
}
