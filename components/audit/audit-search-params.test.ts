import { describe, expect, it } from "vitest";
import { utcDay } from "../filters/date-range";
import { auditLogHref, parseAuditSearch } from "./audit-search-params";

const person = "0b5e8f0e-52a3-4c39-9a7e-1f0f6d2b1c11";

describe("parseAuditSearch", () => {
  it("reads valid filters, From as the start and To as the end of a UTC day", () => {
    const search = parseAuditSearch({ person, action: "key.created", from: "2026-03-01", to: "2026-03-02" });
    expect(search.problems).toEqual([]);
    expect(search.filters).toEqual({
      actorId: person,
      action: "key.created",
      from: new Date("2026-03-01T00:00:00.000Z"),
      to: new Date("2026-03-02T23:59:59.999Z"),
    });
    expect(search.values).toEqual({ person, action: "key.created", from: "2026-03-01", to: "2026-03-02" });
  });

  it("ignores and explains values that fail their checks", () => {
    const search = parseAuditSearch({ person: "1 or 1=1", action: "drop", from: "2026-02-30", to: "soon" });
    expect(search.filters).toEqual({});
    expect(search.values).toEqual({ person: "", action: "", from: "", to: "" });
    expect(search.problems).toHaveLength(4);
    expect(search.problems.join(" ")).toMatch(/Person.*“drop”.*From “2026-02-30”.*To “soon”/);
  });

  it("treats empty fields as unset, takes the first of repeated ones, and keeps the cursor", () => {
    const search = parseAuditSearch({ person: "", action: ["test.sent", "key.created"], cursor: "abc" });
    expect(search.problems).toEqual([]);
    expect(search.filters).toEqual({ action: "test.sent", cursor: "abc" });
  });

  it("warns when From is after To", () => {
    expect(parseAuditSearch({ from: "2026-03-05", to: "2026-03-01" }).problems).toEqual([
      "From is after To, so no entry can match.",
    ]);
  });
});

describe("utcDay", () => {
  it("accepts real days only", () => {
    expect(utcDay("2024-02-29")).toEqual(new Date("2024-02-29T00:00:00Z"));
    expect(utcDay("2023-02-29")).toBeUndefined();
    expect(utcDay("2026-3-1")).toBeUndefined();
  });
});

describe("auditLogHref", () => {
  it("carries set filters and the cursor, and nothing else", () => {
    expect(auditLogHref({ person: "", action: "", from: "", to: "" })).toBe("/settings/audit-log");
    expect(auditLogHref({ person: "", action: "test.sent", from: "2026-03-01", to: "" }, "c1")).toBe(
      "/settings/audit-log?action=test.sent&from=2026-03-01&cursor=c1",
    );
  });
});
