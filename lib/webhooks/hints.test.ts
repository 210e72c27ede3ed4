import { describe, expect, it } from "vitest";
import { ForbiddenAddressError, NoEgressError } from "./egress";
import { classifyError } from "./errors";
import { failureHint, type HintedAttempt, shortHint } from "./hints";

const plain = { requiresWhitelisting: false, egressIps: [] };
const whitelisted = { requiresWhitelisting: true, egressIps: ["203.0.113.10", "203.0.113.11"] };

const status = (code: number, extra: Partial<HintedAttempt> = {}): HintedAttempt => ({
  outcome: code === 410 ? "gone" : "retry",
  responseStatus: code,
  errorClass: "http_status",
  errorMessage: `The receiver answered HTTP ${code}`,
  ...extra,
});

const coded = (code: string, message = "x") => Object.assign(new Error(message), { code });

/** An attempt as deliver.ts records a thrown error: classified by errors.ts, with its words. */
function thrown(error: unknown, timeoutMs = 10_000): HintedAttempt {
  const { errorClass, message } = classifyError(error, timeoutMs);
  return {
    outcome: errorClass === "forbidden_address" ? "refused" : "retry",
    responseStatus: null,
    errorClass,
    errorMessage: message,
  };
}

describe("failureHint", () => {
  it("gives nothing for a success or a skipped attempt", () => {
    const ok = { outcome: "succeeded", responseStatus: 200, errorClass: null, errorMessage: null };
    expect(failureHint(ok, plain)).toBeNull();
    expect(failureHint(ok, whitelisted)).toBeNull();
    const skipped = {
      ...ok,
      outcome: "skipped",
      responseStatus: null,
      errorMessage: "The callback is turned off",
    };
    expect(failureHint(skipped, plain)).toBeNull();
  });

  it.each([401, 403])("says %i rejected our credentials", (code) => {
    expect(failureHint(status(code), plain)).toEqual({
      hint: "Your endpoint rejected our credentials: check the Bearer Token or the auth header",
      detail: `The receiver answered HTTP ${code}`,
    });
  });

  it.each([404, 405])("says %i does not accept POST at this URL", (code) => {
    expect(failureHint(status(code), plain)?.hint).toBe("Your endpoint does not accept POST at this URL");
  });

  it("says a 410 turned the callback off", () => {
    const gone = status(410, { errorMessage: "The receiver answered 410 Gone: the callback was turned off" });
    expect(failureHint(gone, plain)).toEqual({
      hint: expect.stringMatching(/^Your endpoint answered Gone, so the callback was turned off/),
      detail: "The receiver answered 410 Gone: the callback was turned off",
    });
  });

  it("says a 429 or 503 asked us to slow down, and when we retry", () => {
    expect(failureHint(status(429, { retryAfterMs: 30_000 }), plain)?.hint).toBe(
      "Your endpoint asked us to slow down (429): we retry in 30 s, the time it gave",
    );
    expect(failureHint(status(503, { retryAfterMs: 300_000 }), plain)?.hint).toBe(
      "Your endpoint is unavailable for now and asked us to wait (503): we retry in 5 min, the time it gave",
    );
    expect(failureHint(status(429, { retryAfterMs: null }), plain)?.hint).toMatch(/gave no time/);
    // A recorded attempt does not keep the wait: the hint says what happens without a number.
    expect(failureHint(status(503), plain)?.hint).toMatch(/we retry after the time it gave$/);
  });

  it.each([500, 502, 504])("sends a %i to the endpoint's logs", (code) => {
    expect(failureHint(status(code), plain)?.hint).toBe(
      `Your endpoint failed with an error (${code}): check its logs`,
    );
  });

  it("sends any other 4xx to the endpoint's logs too", () => {
    expect(failureHint(status(422), plain)?.hint).toMatch(/^Your endpoint refused the update \(422\)/);
  });

  it("says redirects are not followed, with the Location when known", () => {
    const redirect = {
      outcome: "retry",
      responseStatus: 302,
      errorClass: "redirect",
      errorMessage:
        "The receiver answered 302 (redirect to https://hooks.example.com/v2/lead); redirects are not followed",
    };
    expect(failureHint(redirect, plain)).toEqual({
      hint: "Redirects are not followed: use the final URL (https://hooks.example.com/v2/lead)",
      detail: redirect.errorMessage,
    });
    const bare = {
      ...redirect,
      errorMessage: "The receiver answered 301 (redirect); redirects are not followed",
    };
    expect(failureHint(bare, plain)?.hint).toBe("Redirects are not followed: use the final URL");
  });

  it("asks for 200 within the configured timeout, 10 s when it is not known", () => {
    expect(failureHint(thrown(coded("UND_ERR_HEADERS_TIMEOUT"), 1500), plain)).toEqual({
      hint: "Answer 200 within 1.5 s and process the update afterwards",
      detail: "No complete answer within 1.5 s",
    });
    const unknown = { outcome: "retry", responseStatus: null, errorClass: "timeout", errorMessage: null };
    expect(failureHint(unknown, plain)?.hint).toBe(
      "Answer 200 within 10 s and process the update afterwards",
    );
  });

  it("says a refused connection means nothing listens there, and a reset that the server hung up", () => {
    expect(failureHint(thrown(coded("ECONNREFUSED")), plain)).toEqual({
      hint: "Your server refused the connection: is it running and listening on that port?",
      detail: "The connection was refused",
    });
    expect(
      failureHint(thrown(new Error("fetch failed", { cause: coded("ECONNRESET") })), plain)?.hint,
    ).toMatch(/^Your server closed the connection before answering/);
  });

  it("blames a blocked source for refused, reset, timed-out and failed connections when whitelisting is on", () => {
    const blocked = "Your server may be blocking our source addresses: allow 203.0.113.10, 203.0.113.11";
    expect(failureHint(thrown(coded("ECONNREFUSED")), whitelisted)?.hint).toBe(blocked);
    expect(failureHint(thrown(coded("ECONNRESET")), whitelisted)?.hint).toBe(blocked);
    expect(failureHint(thrown(coded("UND_ERR_CONNECT_TIMEOUT")), whitelisted)?.hint).toBe(
      `${blocked}; if it is only slow, answer 200 within 10 s and process the update afterwards`,
    );
    expect(failureHint(thrown(new Error("strange")), whitelisted)?.hint).toBe(blocked);
    // What undici throws when the static egress proxy cannot reach the target.
    const proxyRefused = Object.assign(new Error("Proxy response (502) !== 200 when HTTP Tunneling"), {
      name: "AbortError",
      code: "UND_ERR_ABORTED",
    });
    expect(failureHint(thrown(proxyRefused), whitelisted)?.hint).toMatch(new RegExp(`^${blocked}`));
    expect(
      failureHint(thrown(coded("ECONNREFUSED")), { requiresWhitelisting: true, egressIps: [] })?.hint,
    ).toBe(
      "Your server may be blocking our source addresses: ask your administrator which addresses to allow",
    );
  });

  it("says the host name does not resolve, with the resolver's code", () => {
    const hint = failureHint(thrown(coded("ENOTFOUND", "getaddrinfo ENOTFOUND hooks.invalid")), plain);
    expect(hint?.hint).toMatch(/^The host name does not resolve/);
    expect(hint?.detail).toBe("The host name could not be resolved (getaddrinfo ENOTFOUND hooks.invalid)");
  });

  it.each([
    ["CERT_HAS_EXPIRED", "certificate has expired", /has expired: renew it/],
    ["CERT_NOT_YET_VALID", "certificate is not yet valid", /is not valid yet/],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate", /is self-signed/],
    ["SELF_SIGNED_CERT_IN_CHAIN", "self-signed certificate in certificate chain", /is self-signed/],
    [
      "ERR_TLS_CERT_ALTNAME_INVALID",
      "Hostname/IP does not match certificate's altnames: Host: hooks.example.com. is not in the cert's altnames: DNS:other.example.com",
      /is for another host name/,
    ],
    [
      "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
      "unable to get local issuer certificate",
      /not from a trusted issuer/,
    ],
    [
      "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
      "unable to verify the first certificate",
      /intermediate certificates/,
    ],
    ["CERT_REVOKED", "certificate revoked", /was revoked/],
    [
      "ERR_SSL_WRONG_VERSION_NUMBER",
      "SSL routines:ssl3_get_record:wrong version number",
      /does not speak TLS/,
    ],
    ["ERR_SSL_STRANGE", "ssl engine exploded", /^The secure \(TLS\) connection to your endpoint failed/],
  ])("says what is wrong with the certificate (%s)", (code, message, expected) => {
    const attempt = thrown(coded(code, message));
    expect(attempt.errorClass).toBe("tls");
    const hint = failureHint(attempt, plain);
    expect(hint?.hint).toMatch(expected);
    expect(hint?.detail).toBe(`TLS failed: ${message}`);
  });

  it("explains a private address without naming server settings", () => {
    const attempt = thrown(
      new ForbiddenAddressError("127.0.0.1 is a loopback address; leadhook does not deliver there"),
    );
    const hint = failureHint(attempt, plain);
    expect(hint?.hint).toMatch(/private or internal address.*use your endpoint's public URL/);
    expect(hint?.detail).toBe("127.0.0.1 is a loopback address; leadhook does not deliver there");
    expect(JSON.stringify(hint)).not.toMatch(/[A-Z]+_[A-Z_]+/);
  });

  it("sends a missing static egress to the administrator, naming no environment variable", () => {
    const attempt = thrown(
      new NoEgressError(
        "No static egress configured: this callback requires a whitelisted source, but CALLBACK_EGRESS_PROXY_URL is not set",
      ),
    );
    const hint = failureHint(attempt, whitelisted);
    expect(hint?.hint).toMatch(/ask your administrator to set up static egress/);
    expect(hint?.detail).toBe("No static egress configured");
    expect(JSON.stringify(hint)).not.toMatch(/[A-Z]+_[A-Z_]+/);
  });

  it("covers a receiver that does not speak HTTP and any other network failure", () => {
    expect(failureHint(thrown(coded("HPE_INVALID_CONSTANT", "Expected HTTP/")), plain)?.hint).toMatch(
      /did not answer with valid HTTP/,
    );
    expect(failureHint(thrown(new Error("strange")), plain)).toEqual({
      hint: "The connection to your endpoint failed: check that it is reachable from the internet",
      detail: "strange",
    });
  });

  it("says something for a class it does not know", () => {
    const odd = { outcome: "retry", responseStatus: null, errorClass: "quantum", errorMessage: "entangled" };
    expect(failureHint(odd, plain)).toEqual({
      hint: "Something went wrong reaching your endpoint: check the detail and its logs",
      detail: "entangled",
    });
  });

  it("keeps a long detail short", () => {
    const attempt = thrown(
      coded("ERR_TLS_CERT_ALTNAME_INVALID", `Hostname/IP does not match ${"DNS:x.example.com, ".repeat(40)}`),
    );
    expect(failureHint(attempt, plain)?.detail.length).toBeLessThanOrEqual(300);
  });
});

describe("failureHint from a delivery's last error alone", () => {
  // A delivery row keeps the last status and message but not the class: the words must lead to the same hint.
  it.each([
    coded("ECONNREFUSED"),
    coded("ECONNRESET"),
    coded("UND_ERR_HEADERS_TIMEOUT"),
    coded("ENOTFOUND", "getaddrinfo ENOTFOUND hooks.invalid"),
    coded("CERT_HAS_EXPIRED", "certificate has expired"),
    coded("HPE_INVALID_CONSTANT", "Expected HTTP/"),
    new ForbiddenAddressError("10.0.0.1 is a private network address; leadhook does not deliver there"),
    new NoEgressError("No static egress configured: this callback requires a whitelisted source"),
  ])("reads %s", (error) => {
    const attempt = thrown(error);
    for (const context of [plain, whitelisted]) {
      expect(failureHint({ ...attempt, errorClass: null }, context)).toEqual(failureHint(attempt, context));
    }
  });

  it("reads statuses and redirects from the status code", () => {
    expect(failureHint({ ...status(401), errorClass: null }, plain)?.hint).toMatch(
      /rejected our credentials/,
    );
    const redirect = {
      outcome: "retry",
      responseStatus: 307,
      errorClass: null,
      errorMessage:
        "The receiver answered 307 (redirect to https://b.example.com/); redirects are not followed",
    };
    expect(failureHint(redirect, plain)?.hint).toBe(
      "Redirects are not followed: use the final URL (https://b.example.com/)",
    );
  });

  it("gives nothing for words that are not an attempt's", () => {
    const stopped = {
      outcome: "retry",
      responseStatus: null,
      errorClass: null,
      errorMessage: "Delivery stopped: the delivery engine gave up (boom). Use Redeliver to try again.",
    };
    expect(failureHint(stopped, plain)).toBeNull();
  });
});

describe("shortHint", () => {
  it("keeps the first clause", () => {
    expect(
      shortHint("Your endpoint rejected our credentials: check the Bearer Token or the auth header"),
    ).toBe("Your endpoint rejected our credentials");
    expect(shortHint("Your endpoint does not accept POST at this URL")).toBe(
      "Your endpoint does not accept POST at this URL",
    );
  });
});
