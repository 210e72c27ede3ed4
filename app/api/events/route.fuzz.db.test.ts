import { count } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, vi } from "vitest";
import { createApiKey } from "@/db/queries/api-keys";
import { createProcess } from "@/db/queries/processes";
import { events, leads } from "@/db/schema";
import { test as dbTest } from "@/testing/db-test";
import { sampleEvent } from "@/testing/fixtures";
import { settleAfter } from "@/testing/next-after";
import { POST } from "./route";

// Route handlers run here without the request scope `after()` needs; see testing/next-after.ts.
vi.mock("next/server", async (original) => (await import("@/testing/next-after")).withRunAfter(original));

// Property-based: whatever a producer sends, the route answers with a JSON body and never a 5xx, and a
// rejected request stores nothing. 10,000 generated bodies per database driver.
const RUNS = 10_000;

const it = dbTest
  /** The producer's ingest key, and the process its events name. */
  .extend("producer", { scope: "file" }, async ({ workspaceId }) => ({
    key: (await createApiKey(workspaceId, "fuzz")).key,
    processId: (await createProcess({ workspaceId, name: "Fuzz" })).id,
  }));
it.afterAll(() => settleAfter());

type Body = { bytes: Uint8Array | string; contentType: string };

const json = (value: unknown) => JSON.stringify(value) ?? "null";
const hugeString = fc.integer({ min: 1, max: 300_000 }).map((n) => "x".repeat(n));
const deep = fc.integer({ min: 50, max: 5_000 }).map((depth) => "[".repeat(depth) + "]".repeat(depth));
const dangerousKeys = fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty");

/** Generated bodies, valid events among them naming `processId`. */
function bodies(processId: string): fc.Arbitrary<Body> {
  const validEvent = fc.constant(null).map(() => sampleEvent(processId));

  /** A valid event with one field replaced, removed, or joined by an odd one. */
  const mutatedEvent = fc
    .tuple(
      validEvent,
      fc.constantFrom("id", "type", "processId", "occurredAt", "lead", "activity"),
      fc.oneof(fc.anything(), hugeString, fc.constant(undefined), fc.string()),
      dangerousKeys,
    )
    .map(([event, field, value, odd]) => {
      const copy: Record<string, unknown> = { ...event, [field]: value };
      return `${json(copy).slice(0, -1)},"${odd}":{"polluted":true}}`;
    });

  return fc.oneof(
    fc.anything().map((v) => ({ bytes: json(v), contentType: "application/json" })),
    fc.jsonValue().map((v) => ({ bytes: json({ events: v }), contentType: "application/json" })),
    mutatedEvent.map((bytes) => ({ bytes, contentType: "application/json" })),
    fc
      .array(mutatedEvent, { maxLength: 5 })
      .map((list) => ({ bytes: `{"events":[${list.join(",")}]}`, contentType: "application/json" })),
    deep.map((bytes) => ({ bytes, contentType: "application/json" })),
    hugeString.map((s) => ({
      bytes: json({ ...sampleEvent(processId), lead: { id: s } }),
      contentType: "application/json",
    })),
    fc.uint8Array({ maxLength: 512 }).map((bytes) => ({
      bytes: Uint8Array.from([0x7b, 0xff, 0xfe, ...bytes]),
      contentType: "application/json",
    })),
    fc.tuple(validEvent, fc.nat()).map(([e, cut]) => {
      const text = json(e);
      return { bytes: text.slice(0, cut % text.length), contentType: "application/json" };
    }),
    fc
      .tuple(
        validEvent,
        fc.constantFrom(
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data",
          "",
          "application/jsonx",
          "json",
        ),
      )
      .map(([e, contentType]) => ({ bytes: json(e), contentType })),
  );
}

describe("POST /api/events under generated input", () => {
  it(`answers ${RUNS} generated bodies with JSON, never a 5xx, and stores only what it accepts`, async ({
    db,
    producer: { key, processId },
  }) => {
    const [before] = await db.select({ n: count() }).from(events);
    let acceptedTotal = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(bodies(processId), async ({ bytes, contentType }) => {
        const response = await POST(
          new Request("http://localhost/api/events", {
            method: "POST",
            headers: {
              authorization: `Bearer ${key}`,
              ...(contentType ? { "content-type": contentType } : {}),
            },
            body: bytes as BodyInit,
          }),
        );
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status).toBeLessThan(500);
        expect(response.headers.get("content-type")).toMatch(/^application\/json/);
        const payload = await response.json();
        if (response.status === 202) {
          acceptedTotal += payload.accepted.length;
        } else {
          expect([400, 404, 413, 415]).toContain(response.status);
          expect(typeof payload.error.code).toBe("string");
          expect(typeof payload.error.message).toBe("string");
        }
        expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
    const [after] = await db.select({ n: count() }).from(events);
    expect((after?.n ?? 0) - (before?.n ?? 0)).toBe(acceptedTotal);
    const [orphans] = await db.select({ n: count() }).from(leads);
    expect(orphans?.n ?? 0).toBeLessThanOrEqual(acceptedTotal);
    expect(statuses.get(400)).toBeGreaterThan(RUNS / 2);
  }, 600_000);
});
