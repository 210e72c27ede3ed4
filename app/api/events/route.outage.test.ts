import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { settleAfter } from "@/testing/next-after";
import { createPostgresServer } from "@/testing/postgres-server";

// Route handlers run here without the request scope `after()` needs; see testing/next-after.ts.
vi.mock("next/server", async (original) => (await import("@/testing/next-after")).withRunAfter(original));

// Outage test (npm run test:faults): a real PostgreSQL server is stopped in the middle of ingest traffic.
// Producers must get 202 or 503 within 5 s, never a 500 or a hang; after the database returns and they
// retry the same ids, the ledger shows every event stored once and handed off once, nothing half-written.
const sink = await vi.hoisted(async () => (await import("@/testing/inngest-sink")).inngestSink());

const postgres = createPostgresServer();

beforeAll(async () => {
  process.env.DATABASE_URL = postgres.url;
  await sink.up();
  const { getDb } = await import("@/db/index");
  const { migrate } = await import("@/db/migrate");
  await migrate(await getDb());
}, 60_000);

afterAll(async () => {
  const { closeDb } = await import("@/db/index");
  await closeDb().catch(() => {});
  await sink.down();
  postgres.destroy();
});

describe("PostgreSQL stops during ingest", () => {
  it("answers 202 or 503 within 5 s, and after recovery every event is stored and handed off exactly once", async () => {
    const { createApiKey } = await import("@/db/queries/api-keys");
    const { createProcess } = await import("@/db/queries/processes");
    const { getDefaultWorkspace } = await import("@/db/queries/workspaces");
    const { sampleEvent } = await import("@/testing/fixtures");
    const { POST } = await import("./route");
    const workspace = await getDefaultWorkspace();
    const key = (await createApiKey(workspace.id, "faults")).key;
    const processId = (await createProcess({ workspaceId: workspace.id, name: "Faults" })).id;

    const post = async (event: ReturnType<typeof sampleEvent>) => {
      const started = Date.now();
      const response = await POST(
        new Request("http://localhost/api/events", {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify(event),
        }),
      );
      const elapsed = Date.now() - started;
      const body = await response.json();
      await settleAfter();
      return { status: response.status, elapsed, body };
    };

    const all = Array.from({ length: 300 }, (_, i) =>
      sampleEvent(processId, { lead: { id: `lead_${i % 20}` } }),
    );
    const outcomes: { status: number; elapsed: number }[] = [];
    const failed: typeof all = [];
    let stopped = false;
    for (const [i, event] of all.entries()) {
      if (i === 100) {
        postgres.stop();
        stopped = true;
      }
      if (i === 200 && stopped) {
        postgres.start();
        stopped = false;
      }
      const outcome = await post(event);
      outcomes.push(outcome);
      if (outcome.status !== 202) failed.push(event);
    }
    expect(outcomes.every((o) => o.status === 202 || o.status === 503)).toBe(true);
    expect(Math.max(...outcomes.map((o) => o.elapsed))).toBeLessThan(5000);
    expect(failed.length).toBeGreaterThanOrEqual(100);
    for (const o of outcomes.filter((o) => o.status === 503)) expect(o.elapsed).toBeLessThan(5000);

    // Producers retry every event, answered or not: the ones stored come back as duplicates.
    for (const event of all) {
      const retry = await post(event);
      expect(retry.status).toBe(202);
      expect([...retry.body.accepted, ...retry.body.duplicates]).toEqual([event.id]);
    }

    const { getDb } = await import("@/db/index");
    const { events } = await import("@/db/schema");
    const { resendPendingHandoffs } = await import("@/delivery/outbox");
    const { getEngine } = await import("@/delivery/runtime");
    await resendPendingHandoffs(await getEngine(), { minAgeMs: 0 });
    const db = await getDb();
    const rows = await db.select().from(events);
    const ids = rows.map((r) => r.externalId);
    const sinkIds = new Set(sink.received.map((e) => e.id));
    expect(ids.sort()).toEqual(all.map((e) => e.id).sort());
    for (const row of rows) {
      expect(row.leadId).not.toBeNull();
      expect(row.leadSnapshot).not.toBeNull();
      expect(row.handedOffAt).not.toBeNull();
      expect(sinkIds.has(row.id)).toBe(true);
    }
    const sequences = new Map<string, number[]>();
    for (const row of rows)
      sequences.set(row.leadId as string, [
        ...(sequences.get(row.leadId as string) ?? []),
        row.leadSequence as number,
      ]);
    for (const list of sequences.values())
      expect(list.sort((a, b) => a - b)).toEqual(list.map((_, i) => i + 1));
  }, 120_000);

  it("refuses forged keys with 401 while the database is down: no query is made for them", async () => {
    const { createHash, randomBytes } = await import("node:crypto");
    const { POST } = await import("./route");
    const body = () => randomBytes(24).toString("base64url");
    const plain = body();
    const forged = [
      // The shape with a checksum that is no checksum at all.
      `lh_${body()}AAAAAA`,
      // The plain SHA-256 checksum keys made before migration 0014 carry: anyone can compute it.
      `lh_${plain}${createHash("sha256").update(plain).digest("base64url").slice(0, 6)}`,
    ];
    const postWith = (key: string) =>
      POST(
        new Request("http://localhost/api/events", {
          method: "POST",
          headers: {
            authorization: `Bearer ${key}`,
            "content-type": "application/json",
            "x-forwarded-for": "198.51.100.77",
          },
          body: "{}",
        }),
      );
    // While the database is up (this server reads its list of old keys once a minute).
    for (const key of forged) expect((await postWith(key)).status).toBe(401);
    postgres.stop();
    try {
      for (const key of forged) {
        const response = await postWith(key);
        expect(response.status).toBe(401);
        expect((await response.json()).error.code).toBe("unauthorized");
      }
    } finally {
      postgres.start();
    }
  }, 60_000);
});
