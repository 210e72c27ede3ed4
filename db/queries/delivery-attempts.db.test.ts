import { eq, inArray, sql } from "drizzle-orm";
import { describe, expect } from "vitest";
import type { AttemptResult } from "@/lib/webhooks/deliver";
import { it } from "@/testing/db-test";
import { processWithCallbacks } from "@/testing/fixtures";
import { getDb } from "../index";
import { deliveries, deliveryAttempts } from "../schema";
import { createTestDelivery } from "./deliveries";
import { getDeliveryForAttempt, recordAttempt } from "./delivery-attempts";

function result(overrides: Partial<AttemptResult> = {}): AttemptResult {
  return {
    outcome: "succeeded",
    responseStatus: 200,
    latencyMs: 12,
    errorClass: null,
    errorMessage: null,
    responseExcerpt: "ok",
    retryAfterMs: null,
    requestHeaders: { "webhook-id": "msg_1", authorization: "Bearer [redacted]" },
    startedAt: new Date("2026-11-23T10:15:00.123Z"),
    ...overrides,
  };
}
const retry = (status = 500) =>
  result({
    outcome: "retry",
    responseStatus: status,
    errorClass: "http_status",
    errorMessage: `The receiver answered HTTP ${status}`,
  });

async function newDeliveries(count: number) {
  const { callbackIds } = await processWithCallbacks(`Attempts ${Math.random()}`, [{}]);
  const callbackId = callbackIds[0] as string;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await createTestDelivery(callbackId, "call.completed", { n: i }));
  return ids;
}

async function rowsOf(ids: string[]) {
  const db = await getDb();
  const rows = await db.select().from(deliveries).where(inArray(deliveries.id, ids));
  const attempts = await db.select().from(deliveryAttempts).where(inArray(deliveryAttempts.deliveryId, ids));
  return { byId: new Map(rows.map((r) => [r.id, r])), attempts };
}

describe("recording attempts", () => {
  it("records 50 concurrent attempts, each with its own status and attempt row", async () => {
    const ids = await newDeliveries(50);
    const kinds = ids.map((_, i) => (["succeeded", "retrying", "failed"] as const)[i % 3]);
    const statuses = await Promise.all(
      ids.map((id, i) =>
        kinds[i] === "succeeded"
          ? recordAttempt(id, 1, result({ latencyMs: i }), false)
          : recordAttempt(id, 1, retry(500 + i), kinds[i] === "failed"),
      ),
    );
    expect(statuses).toEqual(kinds);

    const { byId, attempts } = await rowsOf(ids);
    expect(attempts).toHaveLength(50);
    ids.forEach((id, i) => {
      const row = byId.get(id);
      expect(row).toMatchObject({ status: kinds[i], attemptCount: 1 });
      expect(row?.lastAttemptAt?.toISOString()).toBe("2026-11-23T10:15:00.123Z");
      expect(row?.lastResponseStatus).toBe(kinds[i] === "succeeded" ? 200 : 500 + i);
      expect(row?.lastError).toBe(kinds[i] === "succeeded" ? null : `The receiver answered HTTP ${500 + i}`);
      const attempt = attempts.find((a) => a.deliveryId === id);
      expect(attempt).toMatchObject({
        attemptNumber: 1,
        outcome: kinds[i] === "succeeded" ? "succeeded" : "retry",
        responseExcerpt: "ok",
        requestHeaders: { "webhook-id": "msg_1", authorization: "Bearer [redacted]" },
      });
      expect(attempt?.latencyMs).toBe(kinds[i] === "succeeded" ? i : 12);
      expect(attempt?.startedAt.toISOString()).toBe("2026-11-23T10:15:00.123Z");
    });
  });

  it("moves a retried delivery on, also when two attempts of it are recorded at once", async () => {
    const [first, second] = await newDeliveries(2);
    const a = first as string;
    const b = second as string;
    expect(await recordAttempt(a, 1, retry(), false)).toBe("retrying");
    expect(await recordAttempt(a, 2, result(), false)).toBe("succeeded");
    const both = await Promise.all([
      recordAttempt(b, 1, retry(), false),
      recordAttempt(b, 2, retry(502), true),
    ]);
    expect(both).toEqual(["retrying", "failed"]);

    const { byId, attempts } = await rowsOf([a, b]);
    expect(byId.get(a)).toMatchObject({ status: "succeeded", attemptCount: 2, lastResponseStatus: 200 });
    expect(byId.get(b)).toMatchObject({ status: "failed", attemptCount: 2, lastResponseStatus: 502 });
    const numbers = (id: string) =>
      attempts
        .filter((x) => x.deliveryId === id)
        .map((x) => x.attemptNumber)
        .sort();
    expect(numbers(a)).toEqual([1, 2]);
    expect(numbers(b)).toEqual([1, 2]);
  });

  it("fails only the caller whose delivery was deleted meanwhile", async ({ db }) => {
    const [kept, deleted] = (await newDeliveries(2)) as [string, string];
    await db.delete(deliveries).where(eq(deliveries.id, deleted));
    const [ok, gone] = await Promise.allSettled([
      recordAttempt(kept, 1, result(), false),
      recordAttempt(deleted, 1, result(), false),
    ]);
    expect(ok).toEqual({ status: "fulfilled", value: "succeeded" });
    expect(gone.status).toBe("rejected");
    expect((gone as PromiseRejectedResult).reason.message).toMatch(/no longer exists/);
    const { attempts } = await rowsOf([kept, deleted]);
    expect(attempts.map((x) => x.deliveryId)).toEqual([kept]);
  });

  it("rejects every caller of a flush that fails, and stores none of it", async ({ db }) => {
    const ids = await newDeliveries(6);
    // A database error raised after the statement has already moved the deliveries on.
    await db.execute(sql`create function refuse_attempt() returns trigger language plpgsql as $$
      begin if new.latency_ms = 4242 then raise exception 'refused by test'; end if; return new; end $$`);
    await db.execute(sql`create trigger refuse_attempt before insert on delivery_attempts
      for each row execute function refuse_attempt()`);
    try {
      const settled = await Promise.allSettled(
        ids.map((id, i) => recordAttempt(id, 1, result({ latencyMs: i === 3 ? 4242 : 5 }), false)),
      );
      for (const outcome of settled) {
        expect(outcome.status).toBe("rejected");
        const reason = (outcome as PromiseRejectedResult).reason as Error;
        expect(reason.message).toBe("The attempt could not be recorded: refused by test");
        // Nothing of the batch's other attempts (their excerpts, headers) travels with each caller's error.
        expect(JSON.stringify(reason, Object.getOwnPropertyNames(reason))).not.toContain("msg_1");
      }
      const { byId, attempts } = await rowsOf(ids);
      expect(attempts).toHaveLength(0);
      for (const id of ids) expect(byId.get(id)).toMatchObject({ status: "pending", attemptCount: 0 });
    } finally {
      await db.execute(sql`drop trigger refuse_attempt on delivery_attempts`);
      await db.execute(sql`drop function refuse_attempt`);
    }
  });

  it("records the others when one attempt carries a value the database refuses", async () => {
    const ids = await newDeliveries(5);
    const settled = await Promise.allSettled(
      ids.map((id, i) =>
        recordAttempt(id, 1, result({ responseExcerpt: i === 2 ? "bad\u0000byte" : "ok" }), false),
      ),
    );
    expect(settled.map((s) => s.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    const { byId, attempts } = await rowsOf(ids);
    expect(attempts.map((a) => a.deliveryId).sort()).toEqual(ids.filter((_, i) => i !== 2).sort());
    expect(byId.get(ids[2] as string)).toMatchObject({ status: "pending", attemptCount: 0 });
  });

  it("stores texts and headers exactly as given, whatever characters they hold", async () => {
    const texts = ['{"a":"b\\\\c"}', "NULL", "", "line\nbreak, {brace} \"quote\" 'tick'", "naïve 🚀", null];
    const ids = await newDeliveries(texts.length);
    const headers = { "x-odd": 'a"b\\c,{d}', authorization: "Bearer [redacted]" };
    await Promise.all(
      ids.map((id, i) =>
        recordAttempt(id, 1, retry(), false).then(() =>
          recordAttempt(
            id,
            2,
            result({
              responseExcerpt: texts[i] ?? null,
              errorMessage: texts[i] ?? null,
              requestHeaders: headers,
            }),
            false,
          ),
        ),
      ),
    );
    const { byId, attempts } = await rowsOf(ids);
    ids.forEach((id, i) => {
      const second = attempts.find((a) => a.deliveryId === id && a.attemptNumber === 2);
      expect(second?.responseExcerpt).toBe(texts[i]);
      expect(second?.errorMessage).toBe(texts[i]);
      expect(second?.requestHeaders).toEqual(headers);
      expect(byId.get(id)?.lastError).toBe(texts[i]);
    });
  });

  it("loads deliveries asked for together, each caller its own, unknown ids as undefined", async () => {
    const ids = await newDeliveries(3);
    const unknown = "00000000-0000-4000-8000-000000000000";
    const rows = await Promise.all(
      [...ids, unknown, "not-a-uuid", (ids[0] as string).toUpperCase()].map(getDeliveryForAttempt),
    );
    expect(rows.map((r) => r?.delivery.id)).toEqual([...ids, undefined, undefined, ids[0]]);
    expect(rows[1]?.delivery.body).toBe('{"n":1}');
    expect(rows[0]?.callback.signingSecretEncrypted).toMatch(/^v2:/);
  });
});
