import { describe, expect, it } from "vitest";
import { jobs, MalformedJobError, parseJob } from "./jobs";

describe("the job catalog", () => {
  it("names each job, queue and Inngest event once", () => {
    const all = Object.values(jobs);
    const names = all.map((j) => j.name);
    const queues = all.flatMap((j) => ("queue" in j ? [j.queue] : []));
    const events = all.flatMap((j) => ("inngest" in j && "event" in j.inngest ? [j.inngest.event] : []));
    for (const list of [names, queues, events]) expect(new Set(list).size).toBe(list.length);
    // A scheduled job runs on both engines: a queue for pg-boss's schedule, a function for Inngest's.
    for (const job of all.filter((j) => "schedule" in j)) {
      expect(job, job.name).toMatchObject({ queue: expect.any(String), inngest: {} });
    }
  });

  it("reads a payload with the job's schema", () => {
    const replayId = "6f1c0c1e-8a5b-4f7e-9d3a-2b1c0d9e8f7a";
    expect(parseJob(jobs.replay, { replayId })).toEqual({ replayId });
    expect(parseJob(jobs.replay, { replayId, part: 2 })).toEqual({ replayId, part: 2 });
    // A schedule's tick carries nothing of its own, whatever the engine sends.
    expect(parseJob(jobs.resendHandoffs, null)).toBeNull();
    expect(parseJob(jobs.resendHandoffs, { cron: "* * * * *" })).toEqual({ cron: "* * * * *" });
  });

  it("refuses a malformed payload with a MalformedJobError that says what is wrong", () => {
    const attempt = () => parseJob(jobs.deliver, { deliveryId: "x", runStartedAt: "yesterday" });
    expect(attempt).toThrow(MalformedJobError);
    expect(attempt).toThrow(/^malformed deliver job: .*deliveryId.*/);
    try {
      attempt();
    } catch (error) {
      expect((error as MalformedJobError).reason).toMatch(/callbackId/);
      expect((error as MalformedJobError).reason).toMatch(/runStartedAt/);
      expect((error as MalformedJobError).reason).not.toContain("\n");
    }
  });
});
