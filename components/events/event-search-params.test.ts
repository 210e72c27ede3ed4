import { describe, expect, it } from "vitest";
import {
  EVENTS_PATH,
  eventPath,
  eventsHref,
  hasFilters,
  parseEventSearch,
  processEventsPath,
  stateOptions,
} from "./event-search-params";

const empty = { lead: "", type: "", state: "", from: "", to: "" };

describe("parseEventSearch", () => {
  it("reads valid filters, From as the start and To as the end of a UTC day", () => {
    const search = parseEventSearch({
      lead: " +919812345678 ",
      type: "call.completed",
      state: "not_subscribed",
      from: "2026-03-01",
      to: "2026-03-02",
    });
    expect(search.problems).toEqual([]);
    expect(search.filters).toEqual({
      lead: "+919812345678",
      type: "call.completed",
      state: "not_subscribed",
      from: new Date("2026-03-01T00:00:00.000Z"),
      to: new Date("2026-03-02T23:59:59.999Z"),
    });
    expect(search.values).toEqual({
      lead: "+919812345678",
      type: "call.completed",
      state: "not_subscribed",
      from: "2026-03-01",
      to: "2026-03-02",
    });
  });

  it("ignores and explains values that fail their checks", () => {
    const search = parseEventSearch({
      lead: "x".repeat(129),
      type: "lead.deleted",
      state: "failed",
      from: "2026-02-30",
      to: "soon",
    });
    expect(search.filters).toEqual({});
    expect(search.values).toEqual(empty);
    expect(search.problems).toHaveLength(5);
    expect(search.problems.join(" ")).toMatch(
      /Lead id or phone.*“lead\.deleted”.*“failed”.*From “2026-02-30”.*To “soon”/,
    );
  });

  it("refuses a lead with control characters", () => {
    const search = parseEventSearch({ lead: "lead\u0000_1" });
    expect(search.filters).toEqual({});
    expect(search.problems).toHaveLength(1);
  });

  it("treats empty fields as unset, takes the first of repeated ones, and keeps the cursor", () => {
    const search = parseEventSearch({
      lead: "",
      type: "",
      state: ["failing", "pending"],
      from: "",
      to: "",
      cursor: "abc",
    });
    expect(search.problems).toEqual([]);
    expect(search.filters).toEqual({ state: "failing", cursor: "abc" });
    expect(search.cursor).toBe("abc");
  });

  it("never reads a processId from the query string", () => {
    expect(parseEventSearch({ processId: "0b5e8f0e-52a3-4c39-9a7e-1f0f6d2b1c11" }).filters).toEqual({});
  });

  it("warns when From is after To", () => {
    expect(parseEventSearch({ from: "2026-03-05", to: "2026-03-01" }).problems).toEqual([
      "From is after To, so no event can match.",
    ]);
  });
});

describe("eventsHref", () => {
  it("carries set filters and the cursor, and nothing else", () => {
    expect(eventsHref(EVENTS_PATH, empty)).toBe("/events");
    expect(eventsHref(EVENTS_PATH, { ...empty, lead: "+91 98", state: "failing" }, "c1")).toBe(
      "/events?lead=%2B91+98&state=failing&cursor=c1",
    );
  });

  it("reads back what it wrote", () => {
    const values = { lead: "lead_1", type: "lead.updated", state: "pending", from: "2026-01-01", to: "" };
    const href = eventsHref(processEventsPath("p1"), values, "c2");
    expect(href.startsWith("/processes/p1/events?")).toBe(true);
    const params = Object.fromEntries(new URL(href, "http://x").searchParams);
    const search = parseEventSearch(params);
    expect(search.values).toEqual(values);
    expect(search.cursor).toBe("c2");
  });
});

describe("helpers", () => {
  it("knows when any filter is set", () => {
    expect(hasFilters(empty)).toBe(false);
    expect(hasFilters({ ...empty, to: "2026-01-01" })).toBe(true);
  });

  it("offers the four delivery states and escapes ids in paths", () => {
    expect(stateOptions.map((o) => o.label)).toEqual(["Succeeded", "Failing", "Pending", "Not subscribed"]);
    expect(eventPath("a/b")).toBe("/events/a%2Fb");
  });
});
