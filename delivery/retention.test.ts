import { describe, expect, it } from "vitest";
import { jobRetentionSeconds } from "./retention";

describe("jobRetentionSeconds", () => {
  it("keeps pg-boss's defaults (settled jobs 7 days, unstarted 14) within RETENTION_DAYS", () => {
    expect(jobRetentionSeconds(30)).toEqual({ deleteAfterSeconds: 604_800, retentionSeconds: 1_209_600 });
    expect(jobRetentionSeconds(2)).toEqual({ deleteAfterSeconds: 172_800, retentionSeconds: 172_800 });
    expect(jobRetentionSeconds(10, 3600)).toEqual({ deleteAfterSeconds: 3600, retentionSeconds: 864_000 });
    // RETENTION_DAYS=0 keeps data for ever: pg-boss keeps its own defaults.
    expect(jobRetentionSeconds(0)).toEqual({ deleteAfterSeconds: 604_800, retentionSeconds: 1_209_600 });
  });
});
