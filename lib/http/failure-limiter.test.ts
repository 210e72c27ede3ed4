import { describe, expect, it } from "vitest";
import { createFailureLimiter } from "./failure-limiter";

describe("createFailureLimiter", () => {
  it("holds an address back after `limit` failures until its window ends, and no other", () => {
    const limiter = createFailureLimiter({ limit: 3, windowMs: 60_000 });
    const t = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(limiter.heldFor("198.51.100.1", t + i)).toBe(0);
      limiter.fail("198.51.100.1", t + i);
    }
    expect(limiter.heldFor("198.51.100.1", t + 10)).toBe(59_990);
    expect(limiter.heldFor("198.51.100.2", t + 10)).toBe(0);
    expect(limiter.heldFor("198.51.100.1", t + 60_000)).toBe(0);
    limiter.fail("198.51.100.1", t + 60_000); // a new window
    expect(limiter.heldFor("198.51.100.1", t + 60_001)).toBe(0);
  });

  it("keeps at most maxAddresses windows, dropping expired ones first", () => {
    const limiter = createFailureLimiter({ limit: 1, windowMs: 1_000, maxAddresses: 100 });
    for (let i = 0; i < 100; i++) limiter.fail(`10.0.0.${i}`, 0);
    limiter.fail("10.0.1.1", 2_000);
    expect(limiter.size).toBe(1);
    for (let i = 0; i < 250; i++) limiter.fail(`10.0.2.${i}`, 3_000);
    expect(limiter.size).toBeLessThanOrEqual(100);
    expect(limiter.heldFor("10.0.2.249", 3_001)).toBeGreaterThan(0);
  });
});
