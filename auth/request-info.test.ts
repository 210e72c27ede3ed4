import { describe, expect, it } from "vitest";
import { requestOrigin, sameHostOrigins } from "./request-info";

describe("requestOrigin", () => {
  it("takes a lone X-Forwarded-For address (what next start sets), unwrapping IPv4-mapped IPv6", () => {
    const headers = new Headers({ "x-forwarded-for": "::ffff:203.0.113.7", "user-agent": "curl/8" });
    expect(requestOrigin(headers, [])).toEqual({ ipAddress: "203.0.113.7", userAgent: "curl/8" });
  });

  it("behind trusted proxies, takes the last hop before them, whatever the client prepended", () => {
    const headers = new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.7, 10.0.0.2" });
    expect(requestOrigin(headers, ["10.0.0.0/8"]).ipAddress).toBe("203.0.113.7");
  });

  it("does not believe a chain it cannot verify", () => {
    const headers = new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.7" });
    expect(requestOrigin(headers, []).ipAddress).not.toBe("6.6.6.6");
  });
});

describe("sameHostOrigins", () => {
  it("trusts the host the browser addressed, over either scheme, and the proxy's public host", () => {
    const headers = new Headers({ host: "127.0.0.1:3000", "x-forwarded-host": "leads.example.com" });
    expect(sameHostOrigins(headers)).toEqual([
      "https://leads.example.com",
      "http://leads.example.com",
      "https://127.0.0.1:3000",
      "http://127.0.0.1:3000",
    ]);
  });

  it("trusts nothing without a request", () => {
    expect(sameHostOrigins(undefined)).toEqual([]);
  });
});
