import { describe, expect, it } from "vitest";
import { deliverWebhook, parseRetryAfter } from "./deliver";
import { ForbiddenAddressError, guardedLookup } from "./egress";
import { classifyError } from "./errors";
import { buildWebhookPayload, subscribes } from "./payload";

const lookup = (host: string, all: boolean) =>
  new Promise<{ err: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
    guardedLookup(host, { all }, (err, address) => resolve({ err, address })),
  );

describe("guardedLookup (the connect-time address check)", () => {
  it("refuses a host name that resolves to a loopback address, without saying which address", async () => {
    for (const all of [true, false]) {
      const { err } = await lookup("localhost", all);
      expect(err).toBeInstanceOf(ForbiddenAddressError);
      expect(err?.message).toBe(
        "localhost resolves to a non-public address; leadhook does not deliver there",
      );
    }
  });

  it("passes resolver errors through for classification", async () => {
    const { err } = await lookup("no-such-host.invalid", false);
    expect(err?.code).toMatch(/ENOTFOUND|EAI_AGAIN/);
  });
});

describe("parseRetryAfter", () => {
  const now = new Date("2026-11-23T10:00:00Z");
  it("reads seconds and HTTP dates, capped at a day", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Mon, 23 Nov 2026 10:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("999999", now)).toBe(86_400_000);
    expect(parseRetryAfter("Mon, 23 Nov 2026 09:00:00 GMT", now)).toBe(0);
  });
  it("ignores a missing or unreadable value", () => {
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter("soon", now)).toBeNull();
  });
});

describe("classifyError", () => {
  const code = (c: string, message = "x") => Object.assign(new Error(message), { code: c });
  it.each([
    [code("ECONNREFUSED"), "connection_refused"],
    [new Error("fetch failed", { cause: code("ECONNRESET") }), "connection_reset"],
    [code("UND_ERR_HEADERS_TIMEOUT"), "timeout"],
    [Object.assign(new Error("t"), { name: "TimeoutError" }), "timeout"],
    [code("ENOTFOUND"), "dns"],
    [code("DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate"), "tls"],
    [code("HPE_INVALID_CONSTANT", "Expected HTTP/"), "protocol"],
    [new ForbiddenAddressError("no"), "forbidden_address"],
    [new Error("strange"), "network"],
  ])("classifies %s as %s", (error, expected) => {
    expect(classifyError(error, 10_000).errorClass).toBe(expected);
  });
});

describe("payloads", () => {
  it("subscribe Activity Update to the first four event types and Full Lead to all five", () => {
    expect(subscribes("activity_update", "call.completed")).toBe(true);
    expect(subscribes("activity_update", "lead.updated")).toBe(false);
    expect(subscribes("full_lead", "lead.updated")).toBe(true);
  });

  it("carry the producer's event id, the lead's headline and sequence, and Full Lead adds the record and at most 20 activities", () => {
    const lead = {
      id: "l1",
      name: "Asha",
      phone: "+919812345678",
      email: "a@example.com",
      status: "Interested",
      disposition: null,
      attributes: { city: "Pune" },
      sequence: 7,
    };
    const input = {
      eventId: "evt_1001",
      type: "call.completed",
      occurredAt: "2026-11-23T10:15:00+05:30",
      process: { id: "p1", name: "OutReach" },
      lead,
      activity: { type: "call" },
      recentActivities: Array.from({ length: 25 }, (_, i) => ({ i })),
    };
    const activity = buildWebhookPayload({ ...input, format: "activity_update" });
    expect(activity).toEqual({
      type: "call.completed",
      timestamp: "2026-11-23T04:45:00.000Z",
      data: {
        event: { id: "evt_1001" },
        process: { id: "p1", name: "OutReach" },
        lead: {
          id: "l1",
          name: "Asha",
          phone: "+919812345678",
          status: "Interested",
          disposition: null,
          sequence: 7,
        },
        activity: { type: "call" },
      },
    });
    const full = buildWebhookPayload({ ...input, format: "full_lead" });
    expect(full.data.lead).toMatchObject({
      email: "a@example.com",
      attributes: { city: "Pune" },
      sequence: 7,
    });
    expect(full.data.activities).toHaveLength(20);
    expect(full.data.event).toEqual({ id: "evt_1001" });
  });
});

describe("deliverWebhook: what the receiver sends back", () => {
  it("never keeps the callback's secrets, when an endpoint echoes the request it got", async () => {
    const { createServer } = await import("node:http");
    const echo = createServer((req, res) => {
      res.writeHead(400, { "content-type": "text/plain" });
      res.end(`${JSON.stringify(req.headers)}\nno such route`);
    });
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    const { port } = echo.address() as import("node:net").AddressInfo;
    const token = "tok_echo_a1b2c3d4e5";
    const signingSecret = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;
    try {
      const result = await deliverWebhook(
        {
          url: `http://127.0.0.1:${port}/echo`,
          webhookId: "msg_echo",
          body: "{}",
          signingSecret,
          auth: { type: "bearer", token },
          requiresWhitelisting: false,
        },
        { timeoutMs: 5000, allowPrivateUrls: true },
      );
      expect(result).toMatchObject({ outcome: "retry", responseStatus: 400 });
      expect(result.responseExcerpt).toContain('"authorization":"Bearer [redacted]"');
      expect(result.responseExcerpt).toContain("no such route");
      expect(result.responseExcerpt).not.toContain(token);
    } finally {
      echo.close();
    }
  });
});
