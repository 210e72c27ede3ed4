import { describe, expect, it } from "vitest";
import { emptyCallback } from "@/lib/validations/callback";
import { callbackSummary, startsExpanded } from "./callback-summary";

describe("a collapsed callback", () => {
  it("sums itself up in one line", () => {
    expect(callbackSummary({ ...emptyCallback(), url: "https://crm.example.com/hook" })).toBe(
      "https://crm.example.com/hook · Activity Update · No authentication · Enabled",
    );
    expect(
      callbackSummary({ ...emptyCallback(), payloadFormat: "full_lead", authType: "bearer", enabled: false }),
    ).toBe("No URL yet · Full Lead · Bearer Token · Disabled");
  });

  it("starts expanded when new, when it has problems, or when the process has 3 callbacks or fewer", () => {
    expect(startsExpanded({ stored: false, problems: 0, callbacks: 10 })).toBe(true);
    expect(startsExpanded({ stored: true, problems: 1, callbacks: 10 })).toBe(true);
    expect(startsExpanded({ stored: true, problems: 0, callbacks: 3 })).toBe(true);
    expect(startsExpanded({ stored: true, problems: 0, callbacks: 4 })).toBe(false);
  });
});
