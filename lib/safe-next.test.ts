import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next";

describe("safeNextPath", () => {
  it("keeps a path on this site", () => {
    expect(safeNextPath("/processes/abc?x=1")).toBe("/processes/abc?x=1");
    expect(safeNextPath("/invite/tok_123")).toBe("/invite/tok_123");
  });

  it.each([
    ["another origin", "https://evil.example/"],
    ["a protocol-relative URL", "//evil.example/"],
    ["a backslash trick", "/\\evil.example"],
    ["an API route", "/api/auth/sign-out"],
    ["nothing", undefined],
    ["an array", ["/processes"]],
  ])("falls back for %s", (_, next) => {
    expect(safeNextPath(next)).toBe("/processes");
  });
});
