import { describe, expect, it } from "vitest";
import { actionLabel, detailParts } from "./audit-details";

describe("detailParts", () => {
  it("lists changed fields by name", () => {
    expect(detailParts("callback.changed", { fields: ["Lead Update URL", "Bearer Token"] })).toEqual([
      "fields: Lead Update URL, Bearer Token",
    ]);
  });

  it("names what a top-level from/to changed", () => {
    expect(detailParts("member.role_changed", { from: "admin", to: "viewer" })).toEqual([
      "role: admin → viewer",
    ]);
    expect(detailParts("workspace.renamed", { from: "Ops", to: "Sales" })).toEqual(["name: Ops → Sales"]);
    expect(detailParts("process.archived", { from: "active" })).toEqual(["status: was active"]);
  });

  it("shows nested changes, flags and camelCase keys readably", () => {
    expect(
      detailParts("process.changed", { fields: ["name"], name: { from: "A", to: "B" }, enabled: false }),
    ).toEqual(["fields: name", "name: A → B", "enabled: no"]);
    expect(detailParts("callback.added", { payloadFormat: "activity_update", authType: null })).toEqual([
      "payload format: activity_update",
      "auth type: none",
    ]);
    expect(detailParts("x", { odd: { a: 1 } })).toEqual(['odd: {"a":1}']);
  });

  it("gives nothing for empty details", () => {
    expect(detailParts("key.created", {})).toEqual([]);
    expect(detailParts("key.created", null)).toEqual([]);
  });
});

describe("actionLabel", () => {
  it("uses the product's words, and the stored name for an action it does not know", () => {
    expect(actionLabel("member.role_changed")).toBe("Role changed");
    expect(actionLabel("something.new")).toBe("something.new");
  });
});
