import { randomUUID } from "node:crypto";
import type { ConstructorOptions, PgBoss } from "pg-boss";
import { describe, expect } from "vitest";
import { getHandle } from "@/db/index";
import { test as dbTest } from "@/testing/db-test";
import { workJob } from "./job-workers";
import { jobs } from "./jobs";

/*
 * A real pg-boss on the test's database (PGlite or Postgres), in a schema of its own, working the
 * catalog's replay job: a job whose payload does not parse goes to the dead-letter queue with why and is
 * never run nor retried; a good one runs with the payload as the schema reads it.
 */
const it = dbTest.extend("boss", { scope: "file" }, async ({ db: _ }, { onCleanup }) => {
  const { PgBoss, fromPglite } = await import("pg-boss");
  const handle = await getHandle();
  const connection: ConstructorOptions =
    handle.driver === "pglite" && handle.pglite
      ? { db: fromPglite(handle.pglite), backend: "pglite" }
      : { connectionString: process.env.DATABASE_URL, max: 2 };
  const boss = new PgBoss({
    ...connection,
    schema: "pgboss_workers_test",
    schedule: false,
    supervise: false,
  });
  onCleanup(() => boss.stop({ graceful: false }));
  await boss.start();
  for (const job of [jobs.replay, jobs.deadLetter]) await boss.createQueue(job.queue);
  return boss;
});

async function settled(boss: PgBoss, queue: string, id: string) {
  for (let i = 0; i < 100; i++) {
    const job = await boss.getJobById(queue, id);
    if (job && ["completed", "failed"].includes(job.state)) return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${id} never settled`);
}

describe("a catalog job on pg-boss", () => {
  it("runs a good payload as parsed, and dead-letters a malformed one with why, never running it", async ({
    boss,
  }) => {
    const ran: unknown[] = [];
    const malformed: [string, string][] = [];
    const settle = async (jobId: string, reason: string) => {
      malformed.push([jobId, reason]);
    };
    await workJob(boss, jobs.replay, { malformed: settle }, async (payload) => {
      ran.push(payload);
    });
    const replayId = randomUUID();
    const good = (await boss.send(jobs.replay.queue, { replayId })) as string;
    const bad = (await boss.send(
      jobs.replay.queue,
      { replayId: "not-a-uuid", part: -1 },
      { retryLimit: 5 },
    )) as string;

    expect(await settled(boss, jobs.replay.queue, good)).toMatchObject({ state: "completed" });
    // Settled at once: never retried, whatever its retry limit.
    expect(await settled(boss, jobs.replay.queue, bad)).toMatchObject({ state: "completed", retryCount: 0 });
    expect(ran).toEqual([{ replayId }]);
    // What the malformed job stood for is settled too (the embedded engine stops its replay).
    expect(malformed).toEqual([[bad, expect.stringMatching(/replayId/)]]);

    const [dead] = await boss.fetch<Record<string, unknown>>(jobs.deadLetter.queue);
    expect(dead?.data).toMatchObject({
      job: "replay",
      jobId: bad,
      data: { replayId: "not-a-uuid", part: -1 },
    });
    expect(dead?.data.reason).toMatch(/replayId/);
    expect(dead?.data.reason).toMatch(/part/);
  });
});
