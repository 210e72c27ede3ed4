import { describe, expect, it } from "vitest";
import { formatDateTime } from "./format-date";

describe("formatDateTime", () => {
  it("shows a date and time in UTC, saying so", () => {
    expect(formatDateTime(new Date(Date.UTC(2026, 10, 24, 12, 44, 59)))).toBe("Nov 24, 2026, 12:44 PM UTC");
  });

  it("shows the seconds where moments seconds apart must read apart", () => {
    expect(formatDateTime("2026-11-24T15:18:05Z", { seconds: true })).toBe("Nov 24, 2026, 3:18:05 PM UTC");
  });

  it("takes an ISO string, whatever its offset", () => {
    expect(formatDateTime("2026-11-24T12:44:00.000Z")).toBe("Nov 24, 2026, 12:44 PM UTC");
    expect(formatDateTime("2026-11-24T18:14:00+05:30")).toBe("Nov 24, 2026, 12:44 PM UTC");
  });

  it("does not depend on the process's time zone", () => {
    const zone = process.env.TZ;
    process.env.TZ = "Asia/Kolkata";
    try {
      expect(formatDateTime("2026-01-01T00:05:00Z")).toBe("Jan 1, 2026, 12:05 AM UTC");
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("uses plain spaces only, so server and browser renders match", () => {
    expect(formatDateTime("2026-11-24T00:00:00Z")).toMatch(/^[\x20-\x7e]+$/);
  });
});
