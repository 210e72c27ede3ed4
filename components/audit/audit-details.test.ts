import { describe, expect, it } from "vitest";
import { actionLabel, compactAddress, detailParts } from "./audit-details";

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

describe("compactAddress", () => {
  it("writes a full IPv6 address the short way", () => {
    expect(compactAddress("0000:0000:0000:0000:0000:0000:0000:0001")).toBe("::1");
    expect(compactAddress("2001:0DB8:0000:0000:0001:0000:0000:0001")).toBe("2001:db8::1:0:0:1");
    expect(compactAddress("2001:0db8:0001:0002:0003:0004:0005:0006")).toBe("2001:db8:1:2:3:4:5:6");
    expect(compactAddress("fe80:0000:0000:0000:0000:0000:0000:0000")).toBe("fe80::");
    expect(compactAddress("2001:0db8:0000:0001:0001:0001:0001:0001")).toBe("2001:db8:0:1:1:1:1:1");
  });

  it("leaves IPv4 and anything else as it is", () => {
    expect(compactAddress("203.0.113.7")).toBe("203.0.113.7");
    expect(compactAddress("::1")).toBe("::1");
  });
});
