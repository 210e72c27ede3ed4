import { describe, expect, it } from "vitest";
import { retryTime } from "./deliver";

describe("retryTime", () => {
  it("is the next whole second at or after the wait, never before it", () => {
    const now = Date.parse("2026-12-08T00:00:00.800Z");
    expect(retryTime(now, 950).toISOString()).toBe("2026-12-08T00:00:02.000Z");
    expect(retryTime(now, 200).toISOString()).toBe("2026-12-08T00:00:01.000Z");
    expect(retryTime(Date.parse("2026-12-08T00:00:00.000Z"), 5000).toISOString()).toBe(
      "2026-12-08T00:00:05.000Z",
    );
  });
});
