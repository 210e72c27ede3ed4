import { eq } from "drizzle-orm";
import { describe, expect } from "vitest";
import { it } from "@/testing/db-test";
import { processWithCallbacks } from "@/testing/fixtures";
import type { Database } from "./index";
import { REDACT_STEP, redactStoredExcerpts } from "./redact-stored-excerpts";
import { dataSteps, deliveries, deliveryAttempts } from "./schema";

const TOKEN = "tok_live_8c1f0e2d4b6a";

async function storedAttempt(
  db: Database,
  callbackId: string,
  stored: { responseExcerpt: string; errorMessage: string | null },
) {
  const [delivery] = await db
    .insert(deliveries)
    .values({ callbackId, isTest: true, eventType: "test", payload: {}, lastError: stored.errorMessage })
    .returning();
  if (!delivery) throw new Error("no delivery");
  const [attempt] = await db
    .insert(deliveryAttempts)
    .values({
      deliveryId: delivery.id,
      callbackId,
      attemptNumber: 1,
      outcome: "retryable",
      responseStatus: 400,
      latencyMs: 3,
      requestHeaders: {},
      startedAt: new Date(),
      ...stored,
    })
    .returning();
  if (!attempt) throw new Error("no attempt");
  return { deliveryId: delivery.id, attemptId: attempt.id };
}

async function read(db: Database, ids: { deliveryId: string; attemptId: string }) {
  const [attempt] = await db.select().from(deliveryAttempts).where(eq(deliveryAttempts.id, ids.attemptId));
  const [delivery] = await db.select().from(deliveries).where(eq(deliveries.id, ids.deliveryId));
  return { excerpt: attempt?.responseExcerpt, error: attempt?.errorMessage, lastError: delivery?.lastError };
}

it.beforeEach(async ({ db }) => {
  // db:migrate ran the step when the test database was made: as on a database from before it existed.
  await db.delete(dataSteps).where(eq(dataSteps.name, REDACT_STEP));
});

describe("redactStoredExcerpts (db:migrate's data step)", () => {
  it("redacts a callback's secrets from what receivers sent back before answers were redacted, once", async ({
    db,
  }) => {
    const { callbackIds } = await processWithCallbacks(`echo ${Math.random()}`, [
      { authType: "bearer", bearerToken: TOKEN },
      { authType: "none" },
    ]);
    const [echoing, other] = callbackIds as [string, string];
    const b64 = Buffer.from(TOKEN).toString("base64");
    const echoed = await storedAttempt(db, echoing, {
      responseExcerpt: `{"headers":{"authorization":"Bearer ${TOKEN}"},"b64":"${b64}","cut":"${TOKEN.slice(0, 9)}`,
      errorMessage: `Redirected to https://x.example/?t=${TOKEN}`,
    });
    // Another callback's answer that happens to hold the string is not this callback's secret to hide.
    const unrelated = await storedAttempt(db, other, {
      responseExcerpt: `echo ${TOKEN}`,
      errorMessage: null,
    });
    const clean = await storedAttempt(db, echoing, { responseExcerpt: '{"ok":true}', errorMessage: null });

    expect(await redactStoredExcerpts(db)).toBe(2);
    expect(await read(db, echoed)).toEqual({
      excerpt: '{"headers":{"authorization":"Bearer [redacted]"},"b64":"[redacted]","cut":"[redacted]',
      error: "Redirected to https://x.example/?t=[redacted]",
      lastError: "Redirected to https://x.example/?t=[redacted]",
    });
    expect((await read(db, unrelated)).excerpt).toBe(`echo ${TOKEN}`);
    expect((await read(db, clean)).excerpt).toBe('{"ok":true}');

    // Recorded: the next migration does not read the tables again.
    expect(await redactStoredExcerpts(db)).toBeNull();
  });
});
