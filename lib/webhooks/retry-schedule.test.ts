import { describe, expect, it } from "vitest";
import {
  DEFAULT_RETRY_SCHEDULE,
  describeSchedule,
  doublingSchedule,
  parseRetrySchedule,
  waitLabel,
  windowLabel,
} from "./retry-schedule";

const parse = (text: string) => {
  const parsed = parseRetrySchedule(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.schedule;
};

describe("parseRetrySchedule", () => {
  it("reads whole numbers with ms, s, m, h or d, spaces allowed around commas", () => {
    expect(parse(" 300ms , 5s,5m,2h,1d ")).toEqual([300, 5000, 300_000, 7_200_000, 86_400_000]);
  });

  it.each([
    ["", '"" is not a wait'],
    ["5s,,5m", '"" is not a wait'],
    ["1.5h", '"1.5h" is not a wait'],
    ["5 s", '"5 s" is not a wait'],
    ["5S", '"5S" is not a wait'],
    ["-5s", '"-5s" is not a wait'],
    ["50ms", '"50ms" is outside 100ms to 24h'],
    ["25h", '"25h" is outside 100ms to 24h'],
    [Array(21).fill("1s").join(","), "at most 20 retries (got 21)"],
  ])("refuses %j", (text, message) => {
    const parsed = parseRetrySchedule(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.message).toContain(message);
  });
});

describe("doublingSchedule", () => {
  it("doubles from the base up to 2 hours", () => {
    expect(doublingSchedule(3, 1000)).toEqual([1000, 2000, 4000]);
    expect(doublingSchedule(12, 5000).at(-1)).toBe(7_200_000);
  });
});

describe("describing a schedule", () => {
  it("labels each wait and the whole window", () => {
    expect([300, 5000, 1500, 300_000, 90_000, 7_200_000, 5_400_000, 86_400_000].map(waitLabel)).toEqual([
      "300 ms",
      "5 s",
      "1.5 s",
      "5 min",
      "1 min 30 s",
      "2 h",
      "1 h 30 min",
      "1 day",
    ]);
    expect(windowLabel(parse(DEFAULT_RETRY_SCHEDULE))).toBe("about 3 days");
    expect(windowLabel(doublingSchedule(10, 5000))).toBe("about 85 minutes");
    expect(windowLabel([300, 600, 1200])).toBe("about 2 s");
  });

  it("says the default in one sentence", () => {
    expect(describeSchedule(parse(DEFAULT_RETRY_SCHEDULE))).toBe(
      "Failed deliveries are retried 9 times over about 3 days, waiting 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 1 day between attempts (±10%).",
    );
    expect(describeSchedule([60_000])).toBe(
      "Failed deliveries are retried once, 1 min after the first attempt (±10%).",
    );
    expect(describeSchedule([])).toBe("Failed deliveries are not retried (DELIVERY_RETRY_SCHEDULE=none).");
  });
});
