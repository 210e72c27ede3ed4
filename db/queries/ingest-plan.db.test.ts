import { Client } from "pg";
import { describe, expect } from "vitest";
import { test as dbTest, onPostgres } from "@/testing/db-test";

// The ingest's duplicate check must probe the unique (workspace_id, external_id) index however the events
// table looked when the server's connection first ran it (migration 0012). Read on PostgreSQL through
// auto_explain, which logs the plans of statements inside the SQL function; PGlite has no auto_explain.
const workspaceId = "0a000000-0000-4000-8000-000000000001";
const processId = "0a000000-0000-4000-8000-0000000000a1";

/** One session throughout, on the file's database: a cached plan lives as long as its connection. */
const it = dbTest.extend("session", { scope: "file" }, async ({ db: _ }, { onCleanup }) => {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  onCleanup(() => client.end());
  const logged: string[] = [];
  client.on("notice", (notice) => logged.push(notice.message ?? ""));
  await client.query("alter table events set (autovacuum_enabled = false)");
  await client.query("insert into workspaces (id, slug, name) values ($1, 'plans', 'Plans')", [workspaceId]);
  await client.query("insert into processes (id, workspace_id, name) values ($1, $2, 'Plans')", [
    processId,
    workspaceId,
  ]);
  return { client, logged };
});

describe.skipIf(!onPostgres)("leadhook_store_events: the duplicate check's plan", () => {
  const event = (id: string) => ({
    id,
    type: "lead.status_changed",
    processId,
    occurredAt: new Date().toISOString(),
    lead: { id: `lead-${id}`, status: "contacted" },
  });
  const store = (client: Client, id: string) =>
    client.query("select leadhook_store_events($1::uuid, $2::jsonb) as r", [
      workspaceId,
      JSON.stringify([event(id)]),
    ]);

  it("takes the unique index after the table grew, not the workspace's received-at index", async ({
    session: { client, logged },
  }) => {
    // Ten events while the table is empty: enough for a cached generic plan, had the function kept one.
    for (let i = 0; i < 10; i++) await store(client, `early-${i}`);
    await client.query(
      `insert into events (workspace_id, process_id, external_id, type, occurred_at, payload)
       select $1, $2, 'bulk-' || g, 'lead.status_changed', now(), '{}' from generate_series(1, 5000) g`,
      [workspaceId, processId],
    );

    await client.query("load 'auto_explain'");
    await client.query("set auto_explain.log_min_duration = 0");
    await client.query("set auto_explain.log_nested_statements = on");
    await client.query("set client_min_messages = log");
    const { rows } = await store(client, "late-1");
    await client.query("set client_min_messages = notice");

    expect(rows[0].r).toMatchObject({ accepted: { "late-1": expect.any(String) } });
    const check = logged.find((line) => /FROM events WHERE workspace_id = p_workspace_id/i.test(line));
    expect(check, `no plan logged for the duplicate check among:\n${logged.join("\n")}`).toBeDefined();
    expect(check).toContain("events_workspace_external_idx");
    expect(check).not.toContain("events_workspace_received_idx");
  });
});
