import { InngestTestEngine } from "@inngest/test";
import { eq, inArray, sql } from "drizzle-orm";
import { describe, expect, vi } from "vitest";
import type { Database } from "@/db/index";
import { createDeliveriesForEvent } from "@/db/queries/deliveries";
import { storeEvents } from "@/db/queries/events";
import { getSigningSecret } from "@/db/queries/signing-secrets";
import { deliveries, deliveryAttempts, events, leadUpdateCallbacks } from "@/db/schema";
import { type Receiver, startReceiver } from "@/e2e/receiver";
import { getEnv } from "@/lib/env";
import type { CallbackInput } from "@/lib/validations/callback";
import { webhookIdFor } from "@/lib/webhooks/payload";
import { startConnectProxy } from "@/testing/connect-proxy";
import { test as dbTest } from "@/testing/db-test";
import { processWithCallbacks, sampleEvent } from "@/testing/fixtures";
import { deliver } from "./deliver";
import { fanOut } from "./fan-out";
import { purgeExpired } from "./purge-expired";

/**
 * `env.set(name, value)`: an environment variable for this test only, put back as it was when the test
 * ends (the file's own stubs, from `it.beforeAll`, stay).
 */
const it = dbTest.extend(
  "env",
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
  async ({}, { onCleanup }) => {
    const before = new Map<string, string | undefined>();
    onCleanup(() => {
      for (const [name, value] of before) vi.stubEnv(name, value);
    });
    return {
      set(name: string, value: string) {
        if (!before.has(name)) before.set(name, process.env[name]);
        vi.stubEnv(name, value);
      },
    };
  },
);

// Every delivery here goes to the file's receiver on 127.0.0.1.
it.beforeAll(() => {
  vi.stubEnv("ALLOW_PRIVATE_CALLBACK_URLS", "true");
});
it.afterAll(() => {
  vi.unstubAllEnvs();
});
it.afterEach(({ receiver }) => {
  receiver.clear();
  receiver.respondWith(undefined);
  receiver.setAuth({});
});

async function deliveryFor(
  receiver: Receiver,
  callback: Partial<CallbackInput>,
  type: LeadEventType = "call.completed",
) {
  const setup = await processWithCallbacks(`Delivery ${Math.random()}`, [
    { url: `${receiver.url}/hook`, ...callback },
  ]);
  const stored = await storeEvents(setup.workspaceId, [sampleEvent(setup.process.id, { type })]);
  const eventId = stored.accepted[0]?.id as string;
  const [delivery] = await createDeliveriesForEvent(eventId);
  if (!delivery) throw new Error("no delivery created");
  const secret = await getSigningSecret(setup.workspaceId, setup.process.id, delivery.callbackId);
  return { ...setup, eventId, delivery, secret };
}
type LeadEventType = Parameters<typeof sampleEvent>[1] extends infer O
  ? O extends { type?: infer T }
    ? NonNullable<T>
    : never
  : never;

const runStartedAt = new Date(Date.now() - 60_000).toISOString();

function runDeliver(deliveryId: string, callbackId: string, attempt = 0) {
  const engine = new InngestTestEngine({
    function: deliver,
    events: [{ name: "leadhook/delivery.requested", data: { deliveryId, callbackId, runStartedAt } }],
    transformCtx: (ctx) => ({ ...ctx, attempt }),
  });
  return engine.execute();
}

async function attemptsOf(db: Database, deliveryId: string) {
  return db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, deliveryId));
}

async function deliveryRow(db: Database, deliveryId: string) {
  const [row] = await db.select().from(deliveries).where(eq(deliveries.id, deliveryId));
  return row;
}

describe("fan-out", () => {
  it("requests one delivery per enabled callback whose format subscribes to the event type", async () => {
    const setup = await processWithCallbacks("Fan-out", [
      { url: "https://a.example.com/", payloadFormat: "activity_update" },
      { url: "https://b.example.com/", payloadFormat: "full_lead" },
      { url: "https://c.example.com/", payloadFormat: "activity_update", enabled: false },
    ]);
    const [activity, full, disabled] = setup.callbackIds;
    for (const [type, expected] of [
      ["call.completed", [activity, full]],
      ["lead.status_changed", [activity, full]],
      ["lead.disposition_marked", [activity, full]],
      ["lead.activity_changed", [activity, full]],
      ["lead.updated", [full]],
    ] as const) {
      const lead = { id: "lead_1", status: "Interested", disposition: "Sale" };
      const stored = await storeEvents(setup.workspaceId, [sampleEvent(setup.process.id, { type, lead })]);
      const eventId = stored.accepted[0]?.id as string;
      const { result, error, ctx } = await new InngestTestEngine({
        function: fanOut,
        events: [{ name: "leadhook/event.received", data: { eventId } }],
        // Inngest itself is not running here: the send step is answered as Inngest would.
        steps: [{ id: "request-deliveries", handler: () => ({ ids: [] }) }],
      }).execute();
      expect(error).toBeUndefined();
      const sent = (ctx.step.sendEvent.mock.calls[0]?.[1] ?? []) as {
        id: string;
        data: { callbackId: string };
      }[];
      expect(sent.map((e) => e.data.callbackId).sort()).toEqual([...expected].sort());
      expect(sent.map((e) => e.id).sort()).toEqual(expected.map((cb) => `${eventId}:${cb}`).sort());
      expect(sent.map((e) => e.data.callbackId)).not.toContain(disabled);
      expect((result as { deliveries: string[] }).deliveries).toHaveLength(expected.length);
    }
  });

  it("creates each delivery once however often it runs", async () => {
    const setup = await processWithCallbacks("Fan-out twice", [{ url: "https://a.example.com/" }]);
    const stored = await storeEvents(setup.workspaceId, [sampleEvent(setup.process.id)]);
    const eventId = stored.accepted[0]?.id as string;
    const first = await createDeliveriesForEvent(eventId);
    const second = await createDeliveriesForEvent(eventId);
    expect(second).toEqual(first);
  });
});

describe("a malformed job", () => {
  // The catalog's schema is the trigger's: the SDK checks the event before the handler runs and fails the
  // run with an EventValidationError naming the field, a NonRetriableError (inngest's
  // components/triggers/utils.js); the handler parses it again with the same schema (jobPayload).
  it("fails at once with why, never running the work nor retried", async () => {
    for (const [fn, name, data, field] of [
      [fanOut, "leadhook/event.received", { eventId: "not-an-id" }, "eventId"],
      [
        deliver,
        "leadhook/delivery.requested",
        { deliveryId: "x", callbackId: "y", runStartedAt: "soon" },
        "runStartedAt",
      ],
    ] as const) {
      const { error, ctx } = await new InngestTestEngine({
        function: fn,
        events: [{ name, data }],
      }).execute();
      // The test engine hands the error back serialized: its name says which class it was.
      expect(error).toMatchObject({
        name: expect.stringMatching(/^(EventValidationError|NonRetriableError)$/),
      });
      expect((error as Error).message).toContain(field);
      expect(ctx.step.run).not.toHaveBeenCalled();
    }
  });
});

describe("delivery", () => {
  it("sends a signed, Bearer-authenticated POST that the standardwebhooks library verifies", async ({
    db,
    receiver,
  }) => {
    const d = await deliveryFor(receiver, { authType: "bearer", bearerToken: "tok_live_abc123" });
    receiver.setSecret(d.secret);
    receiver.setAuth({ bearerToken: "tok_live_abc123" });
    const { error, result } = await runDeliver(d.delivery.id, d.delivery.callbackId);
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ status: "succeeded", responseStatus: 200 });
    expect(JSON.stringify(result)).not.toContain("tok_live_abc123");

    const hook = await receiver.waitFor();
    expect(hook.method).toBe("POST");
    expect(hook.path).toBe("/hook");
    expect(hook.signatureValid).toBe(true);
    expect(hook.authValid).toBe(true);
    expect(hook.headers["content-type"]).toBe("application/json");
    expect(hook.headers["user-agent"]).toMatch(/^leadhook\/\d+\.\d+\.\d+$/);
    expect(hook.headers["webhook-id"]).toBe(webhookIdFor(d.delivery.id));
    expect(hook.json).toMatchObject({
      type: "call.completed",
      timestamp: "2026-11-23T10:15:00.000Z",
      data: {
        process: { id: d.process.id, name: d.process.name },
        lead: {
          id: "lead_42",
          name: "Asha Verma",
          phone: "+919812345678",
          status: "Interested",
          sequence: 1,
        },
        activity: { type: "call", outcome: "answered", durationSec: 94 },
      },
    });
    expect(Object.keys(hook.json as object)).toEqual(["type", "timestamp", "data"]);

    const [attempt] = await attemptsOf(db, d.delivery.id);
    expect(attempt).toMatchObject({
      attemptNumber: 1,
      outcome: "succeeded",
      responseStatus: 200,
      responseExcerpt: '{"ok":true}',
    });
    expect(attempt?.requestHeaders.authorization).toBe("Bearer [redacted]");
    expect(JSON.stringify(attempt)).not.toContain("tok_live_abc123");
  });

  it("sends the Custom Auth Header and a Full Lead payload", async ({ db, receiver }) => {
    const d = await deliveryFor(receiver, {
      authType: "custom_header",
      authHeaderKey: "X-API-Key",
      authHeaderValue: "key-789",
      payloadFormat: "full_lead",
    });
    receiver.setSecret(d.secret);
    receiver.setAuth({ authHeader: { key: "X-API-Key", value: "key-789" } });
    await runDeliver(d.delivery.id, d.delivery.callbackId);
    const hook = await receiver.waitFor();
    expect(hook.authValid).toBe(true);
    expect(hook.signatureValid).toBe(true);
    expect(hook.json).toMatchObject({
      data: { lead: { attributes: {}, email: null }, activities: [{ type: "call", outcome: "answered" }] },
    });
    expect((await attemptsOf(db, d.delivery.id))[0]?.requestHeaders["x-api-key"]).toBe("[redacted]");
  });

  it("retries other statuses and marks the last attempt failed", async ({ db, receiver }) => {
    const d = await deliveryFor(receiver, {});
    receiver.respondWith(() => ({ status: 500, body: "x".repeat(5000) }));
    const { error } = await runDeliver(d.delivery.id, d.delivery.callbackId);
    expect(error).toMatchObject({ message: expect.stringMatching(/HTTP 500/) });
    expect((await deliveryRow(db, d.delivery.id))?.status).toBe("retrying");
    expect((await attemptsOf(db, d.delivery.id))[0]?.responseExcerpt).toHaveLength(2048);

    // The run's attempts are counted from the log: the policy's retries, then the final attempt.
    const retries = getEnv().DELIVERY_RETRY_SCHEDULE.length;
    for (let n = 2; n <= retries; n++) {
      expect((await runDeliver(d.delivery.id, d.delivery.callbackId, n - 1)).error).toBeDefined();
    }
    const last = await runDeliver(d.delivery.id, d.delivery.callbackId, retries);
    expect(last.error).toBeUndefined();
    expect(last.result).toMatchObject({ status: "failed", responseStatus: 500 });
    expect((await deliveryRow(db, d.delivery.id))?.attemptCount).toBe(retries + 1);
    expect((await attemptsOf(db, d.delivery.id)).map((a) => a.attemptNumber).sort((a, b) => a - b)).toEqual(
      Array.from({ length: retries + 1 }, (_, i) => i + 1),
    );
  });

  it("numbers attempts from the log, not from Inngest's counter (calls that never reached this server)", async ({
    db,
    receiver,
  }) => {
    const d = await deliveryFor(receiver, {});
    receiver.respondWith(() => ({ status: 500 }));
    // Inngest has spent 15 tries on a server that was down: this is still the run's first attempt.
    const { error } = await runDeliver(d.delivery.id, d.delivery.callbackId, 15);
    expect(error).toMatchObject({ name: "RetryAfterError", message: expect.stringMatching(/^Attempt 1:/) });
    expect((await attemptsOf(db, d.delivery.id)).map((a) => a.attemptNumber)).toEqual([1]);
    expect((await deliveryRow(db, d.delivery.id))?.status).toBe("retrying");
  });

  it("marks a delivery failed, with why, when Inngest gives up on it (and leaves finished ones alone)", async ({
    db,
    receiver,
  }) => {
    const { markDeliveryAbandoned } = await import("@/db/queries/deliveries");
    const stuck = await deliveryFor(receiver, {});
    await markDeliveryAbandoned(stuck.delivery.id, "connection refused");
    expect(await deliveryRow(db, stuck.delivery.id)).toMatchObject({
      status: "failed",
      lastError: expect.stringMatching(/delivery engine gave up \(connection refused\)/),
    });
    const done = await deliveryFor(receiver, {});
    await runDeliver(done.delivery.id, done.delivery.callbackId);
    await markDeliveryAbandoned(done.delivery.id, "late");
    expect((await deliveryRow(db, done.delivery.id))?.status).toBe("succeeded");
  });

  it("waits as long as Retry-After says on 429 and 503", async ({ db, receiver }) => {
    for (const status of [429, 503]) {
      const d = await deliveryFor(receiver, {});
      receiver.respondWith(() => ({ status, headers: { "retry-after": "120" } }));
      const { error } = await runDeliver(d.delivery.id, d.delivery.callbackId);
      expect(error).toMatchObject({ name: "RetryAfterError" });
      expect((await attemptsOf(db, d.delivery.id))[0]).toMatchObject({
        responseStatus: status,
        outcome: "retry",
      });
    }
  });

  it("turns the callback off on 410 Gone, with the reason, and does not retry", async ({ db, receiver }) => {
    const d = await deliveryFor(receiver, {});
    receiver.respondWith(() => ({ status: 410 }));
    const { error } = await runDeliver(d.delivery.id, d.delivery.callbackId);
    expect(error).toMatchObject({ name: "NonRetriableError" });
    const [cb] = await db
      .select()
      .from(leadUpdateCallbacks)
      .where(eq(leadUpdateCallbacks.id, d.delivery.callbackId));
    expect(cb?.enabled).toBe(false);
    expect(cb?.disabledReason).toMatch(/410 Gone/);
    expect((await deliveryRow(db, d.delivery.id))?.status).toBe("failed");
  });

  it("does not follow redirects", async ({ db, receiver }) => {
    const d = await deliveryFor(receiver, {});
    receiver.respondWith((w) =>
      w.path === "/hook"
        ? { status: 307, headers: { location: `${receiver.url}/elsewhere` } }
        : { status: 200 },
    );
    const { error } = await runDeliver(d.delivery.id, d.delivery.callbackId);
    expect(error).toMatchObject({ message: expect.stringMatching(/redirect/) });
    expect(receiver.received.map((w) => w.path)).toEqual(["/hook"]);
    expect((await attemptsOf(db, d.delivery.id))[0]).toMatchObject({
      errorClass: "redirect",
      responseStatus: 307,
    });
  });

  it("gives up on a receiver that does not answer within the timeout", async ({ db, receiver, env }) => {
    const d = await deliveryFor(receiver, {});
    env.set("DELIVERY_TIMEOUT_MS", "1000");
    receiver.respondWith(() => new Promise(() => {}));
    const { error } = await runDeliver(d.delivery.id, d.delivery.callbackId);
    expect(error).toMatchObject({ message: expect.stringMatching(/within 1 s/) });
    expect((await attemptsOf(db, d.delivery.id))[0]).toMatchObject({
      errorClass: "timeout",
      responseStatus: null,
    });
  });

  it("reports a refused connection", async ({ db, receiver }) => {
    const closed = await startReceiver();
    const port = closed.port;
    await closed.close();
    const d = await deliveryFor(receiver, { url: `http://127.0.0.1:${port}/hook` });
    const { error } = await runDeliver(d.delivery.id, d.delivery.callbackId);
    expect(error).toMatchObject({ message: expect.stringMatching(/refused/) });
    expect((await attemptsOf(db, d.delivery.id))[0]?.errorClass).toBe("connection_refused");
  });

  it("refuses to connect to a name that resolves to a loopback address when private URLs are not allowed", async ({
    db,
    receiver,
    env,
  }) => {
    const d = await deliveryFor(receiver, { url: `http://localhost:${receiver.port}/hook` });
    env.set("ALLOW_PRIVATE_CALLBACK_URLS", "false");
    const { error } = await runDeliver(d.delivery.id, d.delivery.callbackId);
    expect(error).toMatchObject({ name: "NonRetriableError" });
    expect((await attemptsOf(db, d.delivery.id))[0]).toMatchObject({
      errorClass: "forbidden_address",
      outcome: "refused",
    });
    expect(receiver.received).toHaveLength(0);
  });

  it("fails clearly when a whitelisted callback has no static egress configured", async ({
    db,
    receiver,
    env,
  }) => {
    const d = await deliveryFor(receiver, { requiresWhitelisting: true });
    env.set("CALLBACK_EGRESS_PROXY_URL", "");
    const { error } = await runDeliver(d.delivery.id, d.delivery.callbackId);
    expect(error).toMatchObject({ message: expect.stringMatching(/No static egress configured/) });
    expect((await attemptsOf(db, d.delivery.id))[0]?.errorClass).toBe("no_egress");
    expect(receiver.received).toHaveLength(0);
  });

  it("sends a whitelisted callback through the egress proxy", async ({ receiver, env }) => {
    const proxy = await startConnectProxy();
    try {
      const d = await deliveryFor(receiver, { requiresWhitelisting: true });
      env.set("CALLBACK_EGRESS_PROXY_URL", proxy.url);
      receiver.setSecret(d.secret);
      const { error } = await runDeliver(d.delivery.id, d.delivery.callbackId);
      expect(error).toBeUndefined();
      expect((await receiver.waitFor()).signatureValid).toBe(true);
      expect(proxy.targets).toEqual([`127.0.0.1:${receiver.port}`]);
    } finally {
      await proxy.close();
    }
  });
});

describe("purge-expired (Inngest's scheduled purge)", () => {
  it("deletes an event older than RETENTION_DAYS with its delivery, and keeps a newer one", async ({
    db,
    env,
  }) => {
    const setup = await processWithCallbacks("Purge", [{ url: "https://hooks.example.com/purge" }]);
    const stored = await storeEvents(setup.workspaceId, [
      sampleEvent(setup.process.id, { id: "evt_purge_old" }),
      sampleEvent(setup.process.id, { id: "evt_purge_new" }),
    ]);
    const [old, recent] = stored.accepted.map((a) => a.id) as [string, string];
    for (const id of [old, recent]) await createDeliveriesForEvent(id);
    await db
      .update(deliveries)
      .set({ status: "succeeded" })
      .where(inArray(deliveries.eventId, [old, recent]));
    await db
      .update(events)
      .set({ receivedAt: sql`now() - interval '8 days'`, handedOffAt: sql`now()` })
      .where(eq(events.id, old));
    await db.update(events).set({ handedOffAt: sql`now()` }).where(eq(events.id, recent));
    env.set("RETENTION_DAYS", "7");

    const { result, error } = await new InngestTestEngine({ function: purgeExpired }).execute();
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ events: 1, more: false });
    const left = await db
      .select({ id: events.id })
      .from(events)
      .where(inArray(events.id, [old, recent]));
    expect(left.map((e) => e.id)).toEqual([recent]);
    const leftDeliveries = await db
      .select({ eventId: deliveries.eventId })
      .from(deliveries)
      .where(inArray(deliveries.eventId, [old, recent]));
    expect(leftDeliveries.map((d) => d.eventId)).toEqual([recent]);
  });
});
