import "server-only";
import { writeFileSync } from "node:fs";

/**
 * The end-to-end benchmark's database work, in a process of its own so that each configuration gets a
 * fresh client from its environment (DATABASE_URL, or PGlite under DATA_DIR, which only one process may
 * open: this one exits before `next start` opens it, and runs again after it stopped).
 *
 *   e2e-db.ts setup <out.json> <callback url>...   migrate; an ingest key and a process with these callbacks
 *   e2e-db.ts timings <out.json> <external id prefix>   per delivery, the database's timestamps (epoch ms)
 */
const [mode, out, ...rest] = process.argv.slice(2);
const { getDb, closeDb } = await import("@/db/index");
const { sql } = await import("drizzle-orm");

if (mode === "setup") {
  const { migrate } = await import("@/db/migrate");
  const { createApiKey } = await import("@/db/queries/api-keys");
  const { processWithCallbacks } = await import("@/testing/fixtures");
  await migrate(await getDb());
  const { workspaceId, process, callbackIds } = await processWithCallbacks(
    "Bench end to end",
    rest.map((url, i) => ({
      url,
      // One Bearer, one custom header: both authentication paths, as customers configure them.
      ...(i % 2 === 0
        ? { authType: "bearer" as const, bearerToken: `bench-token-${i}` }
        : { authType: "custom_header" as const, authHeaderKey: "X-Api-Key", authHeaderValue: `bench-${i}` }),
    })),
  );
  const { key } = await createApiKey(workspaceId, "bench e2e");
  writeFileSync(out as string, JSON.stringify({ key, processId: process.id, callbackIds }));
} else if (mode === "timings") {
  const db = await getDb();
  const ms = (column: string) => sql.raw(`extract(epoch from ${column}) * 1000`);
  // Each stage from the rows themselves: the built-in queue is the deliveries table (no job rows).
  const result = (await db.execute(sql`
    select e.external_id as "eventId", c.url as "url",
      ${ms("e.received_at")} as "received", ${ms("e.handed_off_at")} as "handedOff",
      ${ms("d.created_at")} as "deliveryCreated",
      ${ms("a.started_at")} as "attemptStarted", ${ms("a.created_at")} as "attemptRecorded"
    from events e
    join deliveries d on d.event_id = e.id
    join lead_update_callbacks c on c.id = d.callback_id
    left join delivery_attempts a on a.delivery_id = d.id and a.attempt_number = 1
    where e.external_id like ${`${rest[0] ?? ""}%`}
  `)) as unknown as { rows: Record<string, string | number | null>[] };
  writeFileSync(
    out as string,
    JSON.stringify(
      result.rows.map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([k, v]) => [
            k,
            k === "eventId" || k === "url" || v === null ? v : Number(v),
          ]),
        ),
      ),
    ),
  );
} else {
  console.error(`unknown mode ${mode}`);
  process.exitCode = 2;
}
await closeDb();
