import { describe, expect, it } from "vitest";
import type { CallbackHealth } from "@/lib/callback-health";
import { type CallbackInput, emptyCallback } from "@/lib/validations/callback";
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

  it("says OK, Failing or Disabled from its stored health, and when leadhook turned it off", () => {
    const now = new Date("2026-11-24T12:00:00Z");
    const cb = { ...emptyCallback(), url: "https://crm.example.com/hook" };
    const health: CallbackHealth = {
      callbackId: "cb",
      processId: "p",
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      deliveries: 10,
      succeeded: 10,
      attempts: 10,
      failedAttempts: 0,
      medianLatencyMs: 80,
      lastSuccessAt: "2026-11-24T11:59:00Z",
      consecutiveFailures: 0,
    };
    const state = (form: Partial<CallbackInput>, stored?: CallbackHealth) =>
      callbackSummary({ ...cb, ...form }, stored, now)
        .split(" · ")
        .at(-1);
    expect(state({}, health)).toBe("OK");
    expect(state({}, { ...health, consecutiveFailures: 4, lastSuccessAt: "2026-11-24T10:00:00Z" })).toBe(
      "Failing",
    );
    expect(state({}, { ...health, deliveries: 0, attempts: 0, succeeded: 0, lastSuccessAt: null })).toBe(
      "Enabled",
    );
    expect(state({ enabled: false }, { ...health, enabled: false })).toBe("Disabled");
    const turnedOff = {
      ...health,
      enabled: false,
      disabledAt: "2026-11-24T09:05:00Z",
      disabledReason: "Turned off automatically: every delivery failed for 3 days (since …).",
    };
    expect(state({ enabled: false }, turnedOff)).toBe("Disabled automatically Nov 24, 2026, 9:05 AM UTC");
    // Switched back on in the form, not saved yet: nothing stored to tell.
    expect(state({ enabled: true }, turnedOff)).toBe("Enabled");
  });

  it("starts expanded when new, when it has problems, or when the process has 3 callbacks or fewer", () => {
    expect(startsExpanded({ stored: false, problems: 0, callbacks: 10 })).toBe(true);
    expect(startsExpanded({ stored: true, problems: 1, callbacks: 10 })).toBe(true);
    expect(startsExpanded({ stored: true, problems: 0, callbacks: 3 })).toBe(true);
    expect(startsExpanded({ stored: true, problems: 0, callbacks: 4 })).toBe(false);
  });
});
