/**
 * The Events page's queries on a million events: `npm run bench:events` (needs DATABASE_URL naming a
 * PostgreSQL server it may create a database on). Seeds 1,000,000 events over 50,000 leads in five
 * processes (four with two callbacks each, one with none: 1.6 million deliveries, a few failing or
 * pending), then times each filter's first page and a deep page reached by cursor, and prints the plan
 * of the slowest. The database is dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const RUNS = 5;

async function main() {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl)
    throw new Error("Set DATABASE_URL to a PostgreSQL server the benchmark may create a database on");
  const name = `leadhook_bench_events_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  try {
    await run();
  } finally {
    const { closeDb } = await import("@/db/index");
    await closeDb();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function run() {
  const { getDb } = await import("@/db/index");
  const { migrate } = await import("@/db/migrate");
  const { listEventLog } = await import("@/db/queries/event-log");
  const { sql } = await import("drizzle-orm");
  const db = await getDb();
  await migrate(db);
  const started = Date.now();
  // Seeded on a connection of its own: the app's pool stops any query after 4 s, by design.
  const seeder = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await seeder.connect();
  await seeder.query(seedSql(EVENTS));
  await seeder.query("analyze");
  await seeder.end();
  console.log(
    `seeded ${EVENTS.toLocaleString("en")} events in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );

  const ids = await db.execute(sql.raw("select id from workspaces where slug = 'bench'"));
  const workspaceId = (ids as unknown as { rows: { id: string }[] }).rows[0]?.id as string;
  const procs = await db.execute(sql.raw("select id from processes order by name"));
  const processId = (procs as unknown as { rows: { id: string }[] }).rows[0]?.id as string;

  const cases: [string, Parameters<typeof listEventLog>[1]][] = [
    ["newest page, whole workspace", {}],
    ["newest page, one process", { processId }],
    ["lead id", { lead: "lead_4242" }],
    ["phone", { lead: "+919800004242" }],
    ["event type", { type: "lead.disposition_marked" }],
    ["failing (rare)", { state: "failing" }],
    ["pending (rare)", { state: "pending" }],
    ["not subscribed", { state: "not_subscribed" }],
    ["succeeded", { state: "succeeded" }],
    ["one day", { from: new Date(Date.now() - 2 * 86_400_000), to: new Date(Date.now() - 86_400_000) }],
  ];
  console.log("\n| query | median ms | rows |\n| --- | ---: | ---: |");
  for (const [label, filters] of cases) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      rows = (await listEventLog(workspaceId, filters)).rows.length;
      times.push(performance.now() - t);
    }
    console.log(`| ${label} | ${median(times).toFixed(1)} | ${rows} |`);
  }
  // The 200th page (10,000 events back) by cursor: keyset paging does not slow down with depth.
  let cursor: string | undefined;
  for (let page = 0; page < 200; page++)
    cursor = (await listEventLog(workspaceId, { cursor })).nextCursor ?? undefined;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await listEventLog(workspaceId, { cursor });
    times.push(performance.now() - t);
  }
  console.log(`| page 201 by cursor | ${median(times).toFixed(1)} | 50 |`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function seedSql(events: number): string {
  return `
insert into workspaces (slug, name) values ('bench', 'Bench');
insert into processes (workspace_id, name)
  select (select id from workspaces where slug = 'bench'), 'Process ' || p from generate_series(1, 5) p;
insert into lead_update_callbacks (process_id, position, url, signing_secret_encrypted)
  select p.id, c, 'https://hooks.example.com/' || c, 'v1:unused'
  from processes p cross join generate_series(0, 1) c where p.name <> 'Process 5';
insert into leads (id, process_id, external_id, name, phone, status, sequence)
  select md5('lead' || g)::uuid, (select id from processes where name = 'Process ' || (g % 5 + 1)),
         'lead_' || g, 'Lead ' || g, '+9198' || lpad(g::text, 8, '0'), 'Interested', 1
  from generate_series(1, 50000) g;
insert into events (workspace_id, process_id, external_id, type, occurred_at, payload, lead_id, lead_sequence,
                    lead_snapshot, received_at, handed_off_at)
  select l.workspace_id, l.process_id, 'evt_' || g,
         (array['call.completed','lead.status_changed','lead.disposition_marked','lead.activity_changed','lead.updated'])[g % 5 + 1],
         now() - g * interval '1 second', '{}'::jsonb, l.id, 1,
         jsonb_build_object('id', l.external_id, 'name', l.name, 'phone', l.phone, 'status', 'Interested',
                            'disposition', null, 'email', null, 'attributes', '{}'::jsonb, 'sequence', 1),
         now() - g * interval '1 second', now()
  from generate_series(1, ${events}) g
  join lateral (select le.id, le.process_id, le.external_id, le.name, le.phone, p.workspace_id
                from leads le join processes p on p.id = le.process_id
                where le.id = md5('lead' || (g % 50000 + 1))::uuid) l on true;
insert into deliveries (callback_id, event_id, event_type, payload, status, attempt_count)
  select c.id, e.id, e.type, '{}'::json,
         (case when hashtext(e.external_id) % 1000 = 0 then 'failed'
               when hashtext(e.external_id) % 2000 = 1 then 'pending'
               else 'succeeded' end)::delivery_status, 1
  from events e join lead_update_callbacks c on c.process_id = e.process_id;
`;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
