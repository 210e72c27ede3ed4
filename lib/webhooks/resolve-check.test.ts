import { describe, expect, it } from "vitest";
import { resolvedHostProblem } from "./resolve-check";

describe("resolvedHostProblem", () => {
  it("refuses a name that the system resolver maps to a loopback address", async () => {
    expect(await resolvedHostProblem("https://localhost:8443/hook")).toMatch(
      /^localhost resolves to (127\.0\.0\.1|::1), a loopback address/,
    );
  });

  it("does not treat a name that does not resolve as an error", async () => {
    expect(await resolvedHostProblem("https://no-such-host.invalid/hook")).toBeNull();
  });

  it("leaves IP literals and unparsable URLs to the shared schema", async () => {
    expect(await resolvedHostProblem("http://127.0.0.1/")).toBeNull();
    expect(await resolvedHostProblem("not a url")).toBeNull();
  });
});
