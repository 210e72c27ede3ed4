import { eq, inArray, sql } from "drizzle-orm";
import { describe, expect } from "vitest";
import { test as dbTest } from "@/testing/db-test";
import { processWithCallbacks, sampleEvent } from "@/testing/fixtures";
import { deliveries, events } from "../schema";
import { createDeliveriesForEvents } from "./deliveries";
import { type EventLogFilters, getEventDetail, listEventLog } from "./event-log";
import { storeEvents } from "./events";
import { insertWorkspace } from "./members";
import { insertUser } from "./users";

async function allPages(workspaceId: string, filters: EventLogFilters, limit = 20) {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const result = await listEventLog(workspaceId, { ...filters, cursor }, limit);
    seen.push(...result.rows.map((r) => r.externalId));
    if (!result.nextCursor) return seen;
    cursor = result.nextCursor;
  }
  throw new Error("paging never ended");
}

// Two processes of one workspace (one with two callbacks, one with none) and an event in another
// workspace; 130 events spread over three days, several sharing one received_at to test the tie-break.
const it = dbTest.extend("log", { scope: "file" }, async ({ db }) => {
  const a = await processWithCallbacks("Event Log A", [
    { url: "https://hooks.example.com/one" },
    { url: "https://hooks.example.com/two" },
  ]);
  const workspaceId = a.workspaceId;
  const subscribed = a.process.id;
  const unsubscribed = (await processWithCallbacks("Event Log B", [])).process.id;

  const batch = Array.from({ length: 120 }, (_, i) =>
    sampleEvent(subscribed, {
      id: `evt_log_${String(i).padStart(3, "0")}`,
      type: i % 3 === 0 ? "lead.status_changed" : "call.completed",
      lead: {
        id: `lead_${i % 10}`,
        name: `Lead ${i % 10}`,
        phone: `+91981234${String(i % 10).padStart(4, "0")}`,
        status: "Interested",
      },
    }),
  );
  await storeEvents(workspaceId, batch);
  await storeEvents(
    workspaceId,
    Array.from({ length: 10 }, (_, i) => sampleEvent(unsubscribed, { id: `evt_unsub_${i}` })),
  );
  const stored = await db.select({ id: events.id, externalId: events.externalId }).from(events);
  const byExternal = new Map(stored.map((e) => [e.externalId, e.id]));
  // Received over three days; evt_log_050..059 at one instant.
  await db.execute(sql`
    update ${events} set received_at = case
      when external_id between 'evt_log_050' and 'evt_log_059' then timestamptz '2026-11-22 12:00:00.123456+00'
      else timestamptz '2026-11-20 00:00:00+00' + (substring(external_id from '[0-9]+$')::int * interval '30 minutes')
    end`);
  await createDeliveriesForEvents(stored.filter((e) => e.externalId.startsWith("evt_log_")).map((e) => e.id));
  await db.update(deliveries).set({ status: "succeeded" });
  const ids = {
    failing: byExternal.get("evt_log_007") as string,
    pending: byExternal.get("evt_log_008") as string,
  };
  await db.update(deliveries).set({ status: "failed" }).where(eq(deliveries.eventId, ids.failing));
  await db.update(deliveries).set({ status: "pending" }).where(eq(deliveries.eventId, ids.pending));

  const stranger = await insertUser(db, {
    name: "Stranger",
    email: "stranger@example.com",
    passwordHash: "x",
  });
  const other = await insertWorkspace(db, "Elsewhere", stranger.id);
  const foreign = await processWithCallbacks("Foreign", []);
  await db.execute(sql`update processes set workspace_id = ${other.id} where id = ${foreign.process.id}`);
  await storeEvents(other.id, [sampleEvent(foreign.process.id, { id: "evt_foreign" })]);
  const [row] = await db.select({ id: events.id }).from(events).where(eq(events.externalId, "evt_foreign"));
  const foreignEventId = row?.id as string;
  return { workspaceId, subscribed, unsubscribed, foreignEventId, ids };
});

describe("listEventLog", () => {
  it("pages through every event of the workspace once, newest first, across equal timestamps", async ({
    log: { workspaceId },
  }) => {
    const seen = await allPages(workspaceId, {}, 7);
    expect(seen).toHaveLength(130);
    expect(new Set(seen).size).toBe(130);
    expect(seen).not.toContain("evt_foreign");
    const first = await listEventLog(workspaceId, {}, 3);
    const times = first.rows.map((r) => r.receivedAt.getTime());
    expect([...times].sort((x, y) => y - x)).toEqual(times);
  });

  it("shows each event's delivery to every callback it went to", async ({
    log: { workspaceId, subscribed },
  }) => {
    const { rows } = await listEventLog(workspaceId, { processId: subscribed, lead: "lead_7" }, 50);
    const failing = rows.find((r) => r.externalId === "evt_log_007");
    expect(failing?.deliveries.map((d) => [d.position, d.status])).toEqual([
      [0, "failed"],
      [1, "failed"],
    ]);
    expect(failing?.lead).toMatchObject({ id: "lead_7", name: "Lead 7" });
  });

  it("filters by process, lead id or phone, type, delivery state and time, alone and together", async ({
    log: { workspaceId, unsubscribed },
  }) => {
    expect(await allPages(workspaceId, { processId: unsubscribed })).toHaveLength(10);
    expect(await allPages(workspaceId, { lead: "lead_3" })).toHaveLength(12);
    expect(await allPages(workspaceId, { lead: "+919812340003" })).toHaveLength(12);
    expect(await allPages(workspaceId, { type: "lead.status_changed" })).toHaveLength(40);
    expect(await allPages(workspaceId, { state: "failing" })).toEqual(["evt_log_007"]);
    expect(await allPages(workspaceId, { state: "pending" })).toEqual(["evt_log_008"]);
    expect(await allPages(workspaceId, { state: "not_subscribed" })).toHaveLength(10);
    expect(await allPages(workspaceId, { state: "succeeded" })).toHaveLength(118);
    const day = await allPages(workspaceId, {
      from: new Date("2026-11-22T12:00:00Z"),
      to: new Date("2026-11-22T12:00:01Z"),
    });
    expect(day.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `evt_log_05${i}`));
    expect(
      await allPages(workspaceId, { lead: "lead_3", type: "lead.status_changed", state: "succeeded" }),
    ).toEqual(expect.arrayContaining(["evt_log_003", "evt_log_033", "evt_log_063", "evt_log_093"]));
  });

  it("answers nothing for a process of another workspace, and starts over on a crafted cursor", async ({
    db,
    log: { workspaceId, foreignEventId },
  }) => {
    const [foreign] = await db
      .select({ processId: events.processId })
      .from(events)
      .where(eq(events.id, foreignEventId));
    expect((await listEventLog(workspaceId, { processId: foreign?.processId as string })).rows).toEqual([]);
    expect((await listEventLog(workspaceId, { processId: "not-a-uuid" })).rows).toEqual([]);
    const crafted = Buffer.from(JSON.stringify(["2026-13-45 99:00:00+00", "x"])).toString("base64url");
    expect((await listEventLog(workspaceId, { cursor: crafted }, 5)).rows).toHaveLength(5);
  });
});

describe("getEventDetail", () => {
  it("has the stored event, the exact body each callback got and every attempt", async ({
    log: { workspaceId, ids },
  }) => {
    const detail = await getEventDetail(workspaceId, ids.failing);
    expect(detail?.event.externalId).toBe("evt_log_007");
    expect(detail?.deliveries).toHaveLength(2);
    expect(detail?.deliveries[0]?.delivery.payload).toMatchObject({ type: "call.completed" });
    expect(detail?.deliveries[0]?.attempts).toEqual([]);
  });

  it("answers undefined for an event of another workspace, as for one that does not exist", async ({
    db,
    log: { workspaceId, foreignEventId },
  }) => {
    expect(await getEventDetail(workspaceId, foreignEventId)).toBeUndefined();
    expect(await getEventDetail(workspaceId, "00000000-0000-4000-8000-000000000000")).toBeUndefined();
    expect(
      await db
        .select()
        .from(deliveries)
        .where(inArray(deliveries.eventId, [foreignEventId])),
    ).toEqual([]);
  });
});
