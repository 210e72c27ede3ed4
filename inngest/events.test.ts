import { NonRetriableError } from "inngest";
import { describe, expect, it } from "vitest";
import { jobs } from "@/delivery/jobs";
import { jobPayload } from "./events";

describe("an Inngest function's payload", () => {
  it("is the catalog schema's reading of the event data", () => {
    const replayId = "6f1c0c1e-8a5b-4f7e-9d3a-2b1c0d9e8f7a";
    expect(jobPayload(jobs.replay, { replayId, part: 1 })).toEqual({ replayId, part: 1 });
  });

  it("fails the run for good, saying why, when it does not parse", () => {
    const run = () => jobPayload(jobs.replay, { replayId: 7 });
    expect(run).toThrow(NonRetriableError);
    expect(run).toThrow(/^malformed replay job: .*replayId/);
  });
});
