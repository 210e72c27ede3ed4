import { describe, expect, it } from "vitest";
import { resolvedHostProblem } from "./resolve-check";

describe("resolvedHostProblem", () => {
  it("refuses a name that the system resolver maps to a loopback address, without saying which", async () => {
    // Naming the address (or its kind) would make the form a DNS lookup tool for internal names.
    const problem = await resolvedHostProblem("https://localhost:8443/hook");
    expect(problem).toMatch(/^localhost resolves to a non-public address, which cannot receive callbacks\./);
    expect(problem).not.toMatch(/127\.0\.0\.1|::1|loopback/);
  });

  it("does not treat a name that does not resolve as an error", async () => {
    expect(await resolvedHostProblem("https://no-such-host.invalid/hook")).toBeNull();
  });

  it("leaves IP literals and unparsable URLs to the shared schema", async () => {
    expect(await resolvedHostProblem("http://127.0.0.1/")).toBeNull();
    expect(await resolvedHostProblem("not a url")).toBeNull();
  });
});
