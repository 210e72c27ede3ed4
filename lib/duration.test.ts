import { describe, expect, it } from "vitest";
import { dueIn, gapText, parseDuration } from "./duration";

describe("parseDuration", () => {
  it("reads a whole number and one unit, nothing else", () => {
    expect(parseDuration("90m")).toEqual({ ms: 5_400_000, label: "90 minutes" });
    expect(parseDuration("1d")).toEqual({ ms: 86_400_000, label: "1 day" });
    for (const text of ["0h", "1.5h", "1d12h", "P1D", "h"]) expect(parseDuration(text)).toBeUndefined();
  });
});

describe("dueIn", () => {
  const now = new Date("2026-12-07T10:00:00Z");
  const at = (ms: number) => new Date(now.getTime() + ms);

  it("says how long until something is due, in the largest fitting unit", () => {
    expect(dueIn(at(37_200), now)).toBe("in 38 s");
    expect(dueIn(at(4 * 60_000 + 10_000), now)).toBe("in 4 min");
    expect(dueIn(at(2 * 3_600_000 + 5 * 60_000), now)).toBe("in 2 h 5 min");
    expect(dueIn(at(5 * 3_600_000), now)).toBe("in 5 h");
    expect(dueIn(at(3 * 86_400_000), now)).toBe("in 3 days");
  });

  it("says now once it is due", () => {
    expect(dueIn(now, now)).toBe("now");
    expect(dueIn(at(-5000), now)).toBe("now");
  });
});

describe("gapText", () => {
  it("reads the time between two attempts", () => {
    expect(gapText(850)).toBe("+850 ms");
    expect(gapText(5_020)).toBe("+5 s");
    expect(gapText(125_000)).toBe("+2 min 5 s");
    expect(gapText(120_000)).toBe("+2 min");
    expect(gapText(3_780_000)).toBe("+1 h 3 min");
  });
});
