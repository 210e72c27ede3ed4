import { createHash, randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, vi } from "vitest";
import { type Database, POOL_QUEUE_LIMIT, POOL_SIZE } from "@/db/index";
import { createApiKey, revokeApiKey } from "@/db/queries/api-keys";
import { operatorContext } from "@/db/queries/audit-log";
import { createProcess } from "@/db/queries/processes";
import { apiKeys, events, leadActivities, leads, workspaces } from "@/db/schema";
import { resendPendingHandoffs } from "@/delivery/outbox";
import { getEngine } from "@/delivery/runtime";
import { BAD_KEY_ATTEMPTS_PER_MINUTE, hashApiKey } from "@/lib/api-keys";
import { logger } from "@/lib/logger";
import { test as dbTest, onPostgres } from "@/testing/db-test";
import { sampleEvent } from "@/testing/fixtures";
import { settleAfter } from "@/testing/next-after";
import { POST } from "./route";

// Route handlers run here without the request scope `after()` needs; see testing/next-after.ts.
vi.mock("next/server", async (original) => (await import("@/testing/next-after")).withRunAfter(original));

// The Inngest client reads its settings once, at import: point it at a local stand-in for Inngest's
// event API, which each test turns on or off.
const sink = await vi.hoisted(async () => (await import("@/testing/inngest-sink")).inngestSink());

type Post = (body: unknown, headers?: Record<string, string>) => Promise<Response>;

const it = dbTest
  /** The dialer's ingest key, and the process its events name. */
  .extend("producer", { scope: "file" }, async ({ workspaceId }) => {
    const created = await createApiKey(workspaceId, "dialer");
    const process = await createProcess({ workspaceId, name: "OutReach Plan (hinglish)" });
    return { key: created.key, keyId: created.record.id, processId: process.id };
  })
  /** Posts to the route with the producer's key, without waiting for its `after()` work. */
  .extend(
    "postOnly",
    { scope: "file" },
    async ({ producer }): Promise<Post> =>
      (body, headers = {}) =>
        POST(
          new Request("http://localhost/api/events", {
            method: "POST",
            headers: {
              authorization: `Bearer ${producer.key}`,
              "content-type": "application/json",
              ...headers,
            },
            body: typeof body === "string" ? body : JSON.stringify(body),
          }),
        ),
  )
  /** Posts to the route, then lets its `after()` work (the hand-off) finish, as `next start` would. */
  .extend(
    "post",
    { scope: "file" },
    async ({ postOnly }): Promise<Post> =>
      async (body, headers = {}) => {
        const response = await postOnly(body, headers);
        await settleAfter();
        return response;
      },
  )
  /** Posts an event from a client at `address` with `authorization` (the key it tries). */
  .extend(
    "from",
    { scope: "file" },
    async ({ post, producer }) =>
      (address: string, authorization: string) =>
        post(sampleEvent(producer.processId), { authorization, "x-forwarded-for": address }),
  );

it.beforeAll(() => sink.up());
it.afterAll(() => sink.down());

async function storedCount(db: Database, externalIds: string[]) {
  const rows = await db.select({ id: events.externalId }).from(events);
  return rows.filter((r) => externalIds.includes(r.id)).length;
}

/** The ingest route's 409 message for a reused event id, after its path. */
function message(start: string): string {
  return `${start}; an event id names one event, so send the same body again or use a new id`;
}

describe("authentication", () => {
  it("answers 401 with a JSON error for a missing, malformed, unknown or revoked key", async ({
    workspaceId,
    post,
    producer: { key, processId },
  }) => {
    const other = await createApiKey(workspaceId, "to revoke");
    await revokeApiKey(operatorContext(workspaceId), other.record.id);
    const unknown = `${key.slice(0, 10)}${key.slice(10).split("").reverse().join("")}`;
    for (const authorization of [
      "",
      "Basic abc",
      "Bearer nope",
      `Bearer ${unknown}`,
      `Bearer ${other.key}`,
    ]) {
      const response = await post(sampleEvent(processId), { authorization });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe("Bearer");
      expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
    }
  });
});

describe("ingest keys under attack", () => {
  it(`answers 429 with Retry-After to an address after ${BAD_KEY_ATTEMPTS_PER_MINUTE} bad keys a minute, and no other`, async ({
    from,
    producer: { key },
  }) => {
    const flood = "203.0.113.66";
    for (let i = 0; i < BAD_KEY_ATTEMPTS_PER_MINUTE; i++) {
      expect((await from(flood, `Bearer lh_${randomBytes(24).toString("base64url")}AAAAAA`)).status).toBe(
        401,
      );
    }
    const held = await from(flood, `Bearer ${key}`);
    expect(held.status).toBe(429);
    expect(Number(held.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(held.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(await held.json()).toMatchObject({ error: { code: "too_many_requests" } });
    // A producer at another address is served as usual.
    expect((await from("203.0.113.67", `Bearer ${key}`)).status).toBe(202);
  });

  it("still takes a key made before migration 0014 (plain checksum) until it is revoked", async ({
    db,
    workspaceId,
    from,
  }) => {
    const body = randomBytes(24).toString("base64url");
    const old = `lh_${body}${createHash("sha256").update(body).digest("base64url").slice(0, 6)}`;
    const [row] = await db
      .insert(apiKeys)
      .values({ workspaceId, name: "old key", prefix: old.slice(0, 9), keyHash: hashApiKey(old) })
      .returning();
    expect(row?.checksumKeyed).toBe(false);
    expect((await from("203.0.113.68", `Bearer ${old}`)).status).toBe(202);
    await revokeApiKey(operatorContext(workspaceId), row?.id as string);
    expect((await from("203.0.113.68", `Bearer ${old}`)).status).toBe(401);
  });

  it.skipIf(!onPostgres)(
    "answers 503 at once, with one short warning, when requests already queue for every connection",
    async ({ db, from, producer: { key } }) => {
      const warn = vi.spyOn(logger, "warn");
      const error = vi.spyOn(logger, "error");
      // Hold every connection, and queue as many requests as the pool lets wait.
      let held = true;
      // (Some of the queued ones reach the pool's 3 s connection timeout: settled either way.)
      const holders = Array.from({ length: POOL_SIZE + POOL_QUEUE_LIMIT }, () =>
        db.execute(sql`select pg_sleep(1)`),
      );
      const released = Promise.allSettled(holders).then(() => {
        held = false;
      });
      const response = await from("203.0.113.69", `Bearer ${key}`);
      expect(held).toBe(true); // answered while every connection was still taken
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("1");
      expect(await response.json()).toMatchObject({ error: { code: "unavailable" } });
      expect(warn).toHaveBeenCalledWith(
        { reason: `${POOL_QUEUE_LIMIT} requests already wait for a database connection` },
        "database busy: answered 503",
      );
      expect(error).not.toHaveBeenCalled();
      await released;
      warn.mockRestore();
      error.mockRestore();
    },
  );
});

describe("bad requests", () => {
  it("answers 415 for a body that is not JSON by its content type", async ({
    post,
    producer: { processId },
  }) => {
    const response = await post(sampleEvent(processId), { "content-type": "text/plain" });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
  });

  it("answers 413 for a body over 1 MiB, counted while reading whatever Content-Length says", async ({
    producer: { key, processId },
  }) => {
    const big = JSON.stringify({ ...sampleEvent(processId), pad: "x".repeat(1024 * 1024) });
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const response = await POST(
      new Request("http://localhost/api/events", {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          "content-length": "10",
        },
        body: stream,
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: "payload_too_large" } });
  });

  it.for([
    ["not JSON", "{not json", /not valid JSON/, ""],
    ["an array", [], /./, ""],
    ["a missing id", { ...sampleEvent("x"), id: undefined }, /id/, "id"],
    ["an unknown type", { type: "call.started" }, /type must be one of/, "type"],
    ["a bad phone number", { lead: { id: "l1", phone: "98123" } }, /E.164/, "lead.phone"],
    ["a bad email", { lead: { id: "l1", email: "nope" } }, /email/, "lead.email"],
    ["a time without zone", { occurredAt: "2026-11-23 10:15" }, /ISO-8601/, "occurredAt"],
    ["an unknown field", { colour: "red" }, /colour|Unrecognized/, ""],
    ["call.completed without activity", { activity: undefined }, /needs the call activity/, "activity"],
    [
      "status change without status",
      { type: "lead.status_changed", lead: { id: "l1" } },
      /needs lead.status/,
      "lead.status",
    ],
    [
      "endedAt before startedAt",
      {
        activity: {
          type: "call",
          callId: "c",
          startedAt: "2026-11-23T10:00:00Z",
          endedAt: "2026-11-23T09:00:00Z",
        },
      },
      /endedAt/,
      "activity.endedAt",
    ],
    [
      "an activity of an unknown type",
      { type: "lead.activity_changed", activity: { type: "fax", faxId: "f1" } },
      /activity.type must be one of: call, sms, whatsapp, email, note, callback_scheduled/,
      "activity.type",
    ],
    [
      "an sms without its direction",
      { type: "lead.activity_changed", activity: { type: "sms", messageId: "m1" } },
      /Must be inbound or outbound/,
      "activity.direction",
    ],
    [
      "another kind's field on an activity",
      { type: "lead.activity_changed", activity: { type: "note", noteId: "n1", body: "x", callId: "c1" } },
      /callId|Unrecognized/,
      "activity",
    ],
    [
      "call.completed with a message for its activity",
      { activity: { type: "sms", messageId: "m1", direction: "inbound" } },
      /call.completed needs a call activity, not sms/,
      "activity.type",
    ],
    ["__proto__ keys", JSON.parse('{"__proto__": {"polluted": true}}'), /./, ""],
  ])(
    "answers 400 invalid_request for %s",
    async ([_name, patch, message, path], { post, producer: { processId } }) => {
      const body =
        typeof patch === "string"
          ? patch
          : Array.isArray(patch)
            ? patch
            : { ...sampleEvent(processId), ...patch };
      const response = await post(body);
      expect(response.status).toBe(400);
      const json = await response.json();
      expect(json.error.code).toBe("invalid_request");
      expect(json.error.message).toMatch(message);
      if (path) expect(json.error.issues.map((i: { path: string }) => i.path)).toContain(path);
      expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    },
  );

  it("takes the activity kinds a voice platform has besides calls, each stored as sent", async ({
    db,
    post,
    producer: { processId },
  }) => {
    const kinds = [
      {
        type: "sms",
        messageId: "sm_1",
        direction: "outbound",
        to: "+919812345678",
        body: "Your demo is at 5",
        status: "delivered",
      },
      {
        type: "whatsapp",
        messageId: "wa_1",
        direction: "inbound",
        from: "+919812345678",
        body: "Yes, 5 works",
      },
      { type: "whatsapp", messageId: "wa_2", direction: "outbound", templateName: "demo_reminder" },
      {
        type: "email",
        messageId: "em_1",
        direction: "outbound",
        to: "asha@example.com",
        subject: "Your demo",
      },
      { type: "note", noteId: "note_1", body: "Prefers Hindi; call after 5 PM", author: "AI agent" },
      {
        type: "callback_scheduled",
        scheduledFor: "2026-11-24T11:30:00Z",
        reason: "Asked to be called tomorrow",
      },
    ];
    const batch = kinds.map((activity) =>
      sampleEvent(processId, {
        type: "lead.activity_changed",
        lead: { id: "lead_kinds" },
        activity,
      } as never),
    );
    const response = await post({ events: batch });
    expect(response.status).toBe(202);
    const [lead] = await db.select().from(leads).where(eq(leads.externalId, "lead_kinds"));
    const stored = await db
      .select({ activity: leadActivities.activity })
      .from(leadActivities)
      .where(eq(leadActivities.leadId, lead?.id as string));
    expect(stored.map((a) => a.activity)).toEqual(expect.arrayContaining(kinds));
    expect(stored).toHaveLength(kinds.length);
  });

  it("refuses an empty batch and one of 101 events", async ({ post, producer: { processId } }) => {
    expect((await post({ events: [] })).status).toBe(400);
    const many = Array.from({ length: 101 }, () => sampleEvent(processId));
    const response = await post({ events: many });
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/At most 100/);
  });

  it("refuses a whole batch when one event is invalid, naming its index, and stores nothing", async ({
    db,
    post,
    producer: { processId },
  }) => {
    const batch = [
      sampleEvent(processId),
      sampleEvent(processId),
      { ...sampleEvent(processId), occurredAt: "yesterday" },
    ];
    const response = await post({ events: batch });
    expect(response.status).toBe(400);
    const json = await response.json();
    expect(json.error.message).toMatch(/^events\[2\]\.occurredAt: /);
    expect(
      await storedCount(
        db,
        batch.map((e) => e.id),
      ),
    ).toBe(0);
  });

  it("caps what a lead keeps: 200 attributes and 64 KiB, refusing the event (and its batch) that would pass", async ({
    db,
    post,
    producer: { processId },
  }) => {
    const fifty = (prefix: string, value: (i: number) => string | number = (i) => i) =>
      Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${prefix}${i}`, value(i)]));
    const forLead = (leadId: string, attributes: Record<string, string | number>) =>
      sampleEvent(processId, { lead: { id: leadId, attributes } });
    const attributesOf = async (leadId: string) => {
      const [row] = await db.select({ a: leads.attributes }).from(leads).where(eq(leads.externalId, leadId));
      return Object.keys(row?.a ?? {}).length;
    };

    // Four events of 50 new keys: exactly at the limit. The same keys again add nothing.
    for (const prefix of ["a", "b", "c", "d"])
      expect((await post(forLead("lead_cap", fifty(prefix)))).status).toBe(202);
    expect(
      (
        await post(
          forLead(
            "lead_cap",
            fifty("a", (i) => i + 1),
          ),
        )
      ).status,
    ).toBe(202);
    expect(await attributesOf("lead_cap")).toBe(200);

    // One more key: refused with the limit named, nothing stored.
    const over = forLead("lead_cap", { e0: 1 });
    let response = await post(over);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({
      code: "invalid_request",
      message: `lead.attributes: event ${over.id} would leave its lead with 201 attributes, 3 KiB; a lead keeps at most 200 attributes and 64 KiB of them`,
      issues: [{ path: "lead.attributes", message: expect.stringMatching(/^event .* would leave/) }],
    });
    expect(await storedCount(db, [over.id])).toBe(0);
    expect(await attributesOf("lead_cap")).toBe(200);

    // In a batch, set-wise (one event per lead) and event by event (two of one lead): all or nothing.
    const fine = forLead("lead_cap_other", { x: 1 });
    for (const batch of [
      [fine, over],
      [forLead("lead_cap", { a0: 7 }), { ...over, id: `${over.id}-again` }, fine],
    ]) {
      response = await post({ events: batch });
      expect(response.status).toBe(400);
      expect((await response.json()).error.message).toMatch(
        /^events\[1\]\.lead\.attributes: event .* 201 attributes/,
      );
      expect(
        await storedCount(
          db,
          batch.map((e) => e.id),
        ),
      ).toBe(0);
    }
    expect(await attributesOf("lead_cap")).toBe(200);

    // 64 KiB: fifty strings of 2,000 characters are 100 KB in one event.
    const big = forLead(
      "lead_cap_big",
      fifty("k", () => "x".repeat(2000)),
    );
    response = await post(big);
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toMatch(/would leave its lead with 50 attributes, 99 KiB;/);
    expect(await storedCount(db, [big.id])).toBe(0);
  });

  it("answers 404 for an unknown process or one of another workspace, storing nothing", async ({
    db,
    post,
    producer: { processId },
  }) => {
    const [other] = await db
      .insert(workspaces)
      .values({ slug: `other-${Date.now()}`, name: "Other" })
      .returning();
    const foreign = await createProcess({ workspaceId: other?.id as string, name: "Foreign" });
    for (const id of ["00000000-0000-4000-8000-000000000000", foreign.id]) {
      const batch = [sampleEvent(processId), sampleEvent(id)];
      const response = await post({ events: batch });
      expect(response.status).toBe(404);
      expect((await response.json()).error).toMatchObject({
        code: "not_found",
        message: expect.stringMatching(/^events\[1\]: process/),
      });
      expect(
        await storedCount(
          db,
          batch.map((e) => e.id),
        ),
      ).toBe(0);
    }
  });
});

describe("accepting events", () => {
  it("stores the event and merges its lead before answering 202, then hands it to Inngest", async ({
    db,
    post,
    producer: { processId },
  }) => {
    const event = sampleEvent(processId, {
      lead: {
        id: "lead_merge",
        name: "Asha",
        phone: "+919812345678",
        status: "No Answer",
        attributes: { city: "Pune" },
      },
    });
    const response = await post(event);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: [event.id], duplicates: [] });

    const [stored] = await db.select().from(events).where(eq(events.externalId, event.id));
    expect(stored?.handedOffAt).toBeInstanceOf(Date);
    expect(sink.received.find((e) => e.id === stored?.id)).toMatchObject({
      name: "leadhook/event.received",
      data: { eventId: stored?.id },
    });

    const second = sampleEvent(processId, {
      type: "lead.status_changed",
      activity: undefined,
      lead: { id: "lead_merge", status: "Interested", attributes: { budget: 5 } },
    });
    expect((await post(second)).status).toBe(202);
    const [lead] = await db.select().from(leads).where(eq(leads.externalId, "lead_merge"));
    expect(lead).toMatchObject({
      name: "Asha",
      phone: "+919812345678",
      status: "Interested",
      attributes: { city: "Pune", budget: 5 },
      sequence: 2,
    });
    const activities = await db
      .select()
      .from(leadActivities)
      .where(eq(leadActivities.leadId, lead?.id as string));
    expect(activities).toHaveLength(1);
    const [secondStored] = await db.select().from(events).where(eq(events.externalId, second.id));
    expect(secondStored).toMatchObject({
      leadSequence: 2,
      leadSnapshot: { status: "Interested", name: "Asha", sequence: 2 },
    });
  });

  it("is idempotent: a stored event id sent again with the same body is a duplicate and changes nothing", async ({
    db,
    post,
    producer: { processId },
  }) => {
    const event = sampleEvent(processId, { lead: { id: "lead_idem", status: "Busy" } });
    expect(await (await post(event)).json()).toEqual({ accepted: [event.id], duplicates: [] });
    // The same content with its keys in another order is the same body.
    const reordered = Object.fromEntries(Object.entries(event).reverse());
    const again = await post({ events: [event, reordered] });
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ accepted: [], duplicates: [event.id, event.id] });
    const [lead] = await db.select().from(leads).where(eq(leads.externalId, "lead_idem"));
    expect(lead).toMatchObject({ status: "Busy", sequence: 1 });
    expect(await storedCount(db, [event.id])).toBe(1);
  });

  it("refuses an event id reused with another body, with its whole batch: 409 naming the event", async ({
    db,
    post,
    producer: { processId },
  }) => {
    const event = sampleEvent(processId, { lead: { id: "lead_reused", status: "Busy" } });
    expect((await post(event)).status).toBe(202);
    const changed = { ...event, lead: { id: "lead_reused", status: "Do Not Call" } };
    const reused = message(`event id ${event.id} was already received with a different body`);

    const single = await post(changed);
    expect(single.status).toBe(409);
    expect(await single.json()).toMatchObject({ error: { code: "conflict", message: `id: ${reused}` } });

    const other = sampleEvent(processId, { lead: { id: "lead_reused_other" } });
    const batch = await post({ events: [other, changed] });
    expect(batch.status).toBe(409);
    expect(await batch.json()).toMatchObject({
      error: { code: "conflict", message: `events[1].id: ${reused}` },
    });
    expect(await storedCount(db, [other.id])).toBe(0);

    // Twice in one batch with two bodies: the second is refused, and nothing of the batch is stored.
    const fresh = sampleEvent(processId, { lead: { id: "lead_reused_fresh", status: "Busy" } });
    const twice = await post({
      events: [fresh, { ...fresh, lead: { id: "lead_reused_fresh", status: "New" } }],
    });
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({
      error: {
        code: "conflict",
        message: `events[1].id: ${message(`event id ${fresh.id} was already received with a different body`)}`,
      },
    });
    expect(await storedCount(db, [fresh.id])).toBe(0);
    const [lead] = await db.select().from(leads).where(eq(leads.externalId, "lead_reused"));
    expect(lead).toMatchObject({ status: "Busy", sequence: 1 });
  });

  it("gives each event of one lead in a batch its own sequence and snapshot", async ({
    db,
    post,
    producer: { processId },
  }) => {
    const batch = ["No Answer", "Busy", "Interested"].map((status) =>
      sampleEvent(processId, {
        type: "lead.status_changed",
        activity: undefined,
        lead: { id: "lead_batch", status },
      }),
    );
    expect((await post({ events: batch })).status).toBe(202);
    const rows = await db
      .select()
      .from(events)
      .where(sql`${events.externalId} in ${batch.map((e) => e.id)}`);
    const byId = new Map(rows.map((r) => [r.externalId, r]));
    expect(batch.map((e) => [byId.get(e.id)?.leadSequence, byId.get(e.id)?.leadSnapshot?.status])).toEqual([
      [1, "No Answer"],
      [2, "Busy"],
      [3, "Interested"],
    ]);
  });

  it("stores an event sent by several requests at once exactly once, and merges its lead once", async ({
    db,
    post,
    producer: { processId },
  }) => {
    const event = sampleEvent(processId, { lead: { id: "lead_race", status: "Callback" } });
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(event)));
    const bodies = await Promise.all(answers.map((a) => a.json()));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(202));
    expect(bodies.filter((b) => b.accepted.length === 1)).toHaveLength(1);
    expect(bodies.filter((b) => b.duplicates.length === 1)).toHaveLength(7);
    const [lead] = await db.select().from(leads).where(eq(leads.externalId, "lead_race"));
    expect(lead?.sequence).toBe(1);
    expect(await storedCount(db, [event.id])).toBe(1);
  });

  // Needs a second connection to hold the lead's row lock, so Postgres only (PGlite has one connection).
  it.runIf(onPostgres)(
    "lets one of several requests racing with the same event id store it; the others get a duplicate",
    async ({ db, post, producer: { processId } }) => {
      await post(sampleEvent(processId, { lead: { id: "lead_held", status: "New" } }));
      const event = sampleEvent(processId, { lead: { id: "lead_held", status: "Interested" } });
      const { Client } = await import("pg");
      const holder = new Client({ connectionString: process.env.DATABASE_URL });
      await holder.connect();
      try {
        // Every request passes the "already stored?" check, then queues behind this lock on the lead.
        await holder.query("begin");
        await holder.query("select 1 from leads where external_id = 'lead_held' for update");
        const answers = Promise.all(Array.from({ length: 6 }, () => post(event)));
        for (let waited = 0; waited < 100; waited++) {
          // Activity statistics are cached per transaction: clear them to see the requests queue up.
          await holder.query("select pg_stat_clear_snapshot()");
          const { rows } = await holder.query(
            "select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()",
          );
          if (rows[0].n >= 6) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        await holder.query("rollback");
        const bodies = await Promise.all((await answers).map((a) => a.json()));
        expect(bodies.filter((b) => b.accepted?.length === 1)).toHaveLength(1);
        expect(bodies.filter((b) => b.duplicates?.length === 1)).toHaveLength(5);
      } finally {
        await holder.end();
      }
      const [lead] = await db.select().from(leads).where(eq(leads.externalId, "lead_held"));
      expect(lead).toMatchObject({ sequence: 2, status: "Interested" });
      expect(await storedCount(db, [event.id])).toBe(1);
    },
  );

  it("merges concurrent batches over the same leads in any order without losing an update", async ({
    db,
    post,
    producer: { processId },
  }) => {
    const leadIds = Array.from({ length: 10 }, (_, i) => `lead_order_${i}`);
    const batchFor = (ids: string[]) =>
      ids.map((id) =>
        sampleEvent(processId, {
          type: "lead.status_changed",
          activity: undefined,
          lead: { id, status: "Busy" },
        }),
      );
    const batches = Array.from({ length: 6 }, (_, i) => batchFor(i % 2 ? [...leadIds].reverse() : leadIds));
    const answers = await Promise.all(batches.map((events) => post({ events })));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(202));
    const rows = await db
      .select({ sequence: leads.sequence })
      .from(leads)
      .where(sql`${leads.externalId} in ${leadIds}`);
    expect(rows.map((r) => r.sequence)).toEqual(Array(10).fill(6));
    // Each lead's six events hold the sequences 1..6, one each.
    const stored = await db
      .select({ leadId: events.leadId, sequence: events.leadSequence })
      .from(events)
      .where(sql`${events.externalId} in ${batches.flat().map((e) => e.id)}`);
    const byLead = new Map<string | null, number[]>();
    for (const r of stored) byLead.set(r.leadId, [...(byLead.get(r.leadId) ?? []), r.sequence ?? 0]);
    expect(byLead.size).toBe(10);
    for (const sequences of byLead.values()) expect(sequences.sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("answers once the event is stored, without waiting for Inngest to accept the hand-off", async ({
    db,
    postOnly,
    producer: { processId },
  }) => {
    let release = () => {};
    sink.hold = new Promise<void>((resolve) => (release = resolve));
    try {
      const event = sampleEvent(processId);
      const response = await postOnly(event);
      expect(response.status).toBe(202);
      const [stored] = await db.select().from(events).where(eq(events.externalId, event.id));
      expect(stored).toMatchObject({ handedOffAt: null, leadSequence: expect.any(Number) });
      expect(sink.received.some((e) => e.id === stored?.id)).toBe(false);

      release();
      await settleAfter();
      const [handedOff] = await db.select().from(events).where(eq(events.externalId, event.id));
      expect(handedOff?.handedOffAt).toBeInstanceOf(Date);
      expect(sink.received.filter((e) => e.id === stored?.id)).toHaveLength(1);
    } finally {
      sink.hold = undefined;
      release();
    }
  });

  it("still answers 202 when Inngest is unreachable, and the re-send hands the event off later", async ({
    db,
    post,
    producer: { processId },
  }) => {
    await sink.down();
    const event = sampleEvent(processId);
    const response = await post(event);
    expect(response.status).toBe(202);
    const [pending] = await db.select().from(events).where(eq(events.externalId, event.id));
    expect(pending?.handedOffAt).toBeNull();
    expect(pending?.lastHandoffError).toBeTruthy();

    // While Inngest is known to be down, later requests do not wait on it: their events just stay pending.
    const next = sampleEvent(processId);
    expect((await post(next)).status).toBe(202);
    const [skipped] = await db.select().from(events).where(eq(events.externalId, next.id));
    expect(skipped).toMatchObject({ handedOffAt: null, handoffAttempts: 0 });

    await sink.up();
    const result = await resendPendingHandoffs(await getEngine(), { minAgeMs: 0 });
    expect(result.handedOff).toBeGreaterThanOrEqual(1);
    const [after] = await db.select().from(events).where(eq(events.externalId, event.id));
    expect(after?.handedOffAt).toBeInstanceOf(Date);
    expect(sink.received.filter((e) => e.id === pending?.id)).toHaveLength(1);
    expect(sink.received.filter((e) => e.id === skipped?.id)).toHaveLength(1);
  });
});

describe("key bookkeeping", () => {
  it("records when a key was last used", async ({ db, producer: { key, keyId } }) => {
    const { apiKeys } = await import("@/db/schema");
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
    expect(row?.lastUsedAt).toBeInstanceOf(Date);
    expect(row?.keyHash).not.toContain(key);
  });
});
