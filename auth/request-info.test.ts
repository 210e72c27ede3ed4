import { describe, expect, it } from "vitest";
import { requestOrigin, sameHostOrigins } from "./request-info";

describe("requestOrigin", () => {
  it("takes the first X-Forwarded-For address, unwrapping IPv4-mapped IPv6", () => {
    const headers = new Headers({
      "x-forwarded-for": "::ffff:203.0.113.7, 10.0.0.1",
      "user-agent": "curl/8",
    });
    expect(requestOrigin(headers)).toEqual({ ipAddress: "203.0.113.7", userAgent: "curl/8" });
  });

  it("records nothing it was not told", () => {
    expect(requestOrigin(new Headers())).toEqual({ ipAddress: null, userAgent: null });
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
