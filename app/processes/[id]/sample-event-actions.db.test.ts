import { and, eq } from "drizzle-orm";
import { describe, expect } from "vitest";
import { auditLog } from "@/db/access-schema";
import { events, leadUpdateCallbacks } from "@/db/schema";
import { withEmbeddedEngine } from "@/testing/db-test";
import { processWithCallbacks } from "@/testing/fixtures";
import { sendSampleEventAction } from "./sample-event-actions";

// The embedded engine in this process delivers to a receiver on 127.0.0.1.
const it = withEmbeddedEngine({ retrySchedule: "200ms,400ms,800ms" });

type Webhook = { data?: { event?: { id?: string }; lead?: { id?: string }; process?: { id?: string } } };

describe("Send sample event", () => {
  it("stores an event as a producer's, sends it to every enabled callback, and records who sent it", async ({
    db,
    request,
    receiver,
    engine: _,
  }) => {
    const { workspaceId } = await request.signInAs("admin", "Sample Sender");
    const { process, callbackIds } = await processWithCallbacks(`Sample ${Math.random()}`, [
      { url: `${receiver.url}/one` },
      { url: `${receiver.url}/two` },
      { url: `${receiver.url}/off` },
    ]);
    await db
      .update(leadUpdateCallbacks)
      .set({ enabled: false })
      .where(eq(leadUpdateCallbacks.id, callbackIds[2] as string));

    const result = await sendSampleEventAction(workspaceId, process.id);
    if (!result.ok) throw new Error(result.message);
    expect(result.callbacks).toBe(2);
    expect(result.externalId).toMatch(/^evt_sample_/);

    const [stored] = await db.select().from(events).where(eq(events.id, result.eventId));
    expect(stored).toMatchObject({
      processId: process.id,
      externalId: result.externalId,
      type: "call.completed",
    });

    const isOurs = (path: string) => (w: { path: string; json: unknown }) =>
      w.path === path && (w.json as Webhook)?.data?.event?.id === result.externalId;
    const one = await receiver.waitFor(isOurs("/one"));
    await receiver.waitFor(isOurs("/two"));
    expect((one.json as Webhook).data).toMatchObject({
      lead: { id: "lead_sample" },
      process: { id: process.id },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received.filter((w) => w.path === "/off")).toHaveLength(0);

    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, workspaceId), eq(auditLog.action, "event.sample_sent")));
    expect(audit.map((a) => [a.targetId, a.targetLabel, a.details])).toContainEqual([
      process.id,
      process.name,
      { eventId: result.eventId, externalId: result.externalId },
    ]);

    // Each press is a new event, never a duplicate of the last.
    const again = await sendSampleEventAction(workspaceId, process.id);
    expect(again.ok && again.externalId).not.toBe(result.externalId);
  });

  it("says so when no callback is on to send it", async ({ request }) => {
    const { workspaceId } = await request.signInAs("owner", "Sample Owner");
    const { process } = await processWithCallbacks(`No callbacks ${Math.random()}`, []);
    expect(await sendSampleEventAction(workspaceId, process.id)).toMatchObject({ ok: true, callbacks: 0 });
  });

  it("answers not_found for a process id that is not one, storing nothing", async ({ db, request }) => {
    const { workspaceId } = await request.signInAs("admin", "Sample Guesser");
    const before = (await db.select({ id: events.id }).from(events)).length;
    for (const id of ["not-a-uuid", "00000000-0000-4000-8000-000000000000"]) {
      expect(await sendSampleEventAction(workspaceId, id)).toMatchObject({ ok: false, code: "not_found" });
    }
    expect((await db.select({ id: events.id }).from(events)).length).toBe(before);
  });
});
