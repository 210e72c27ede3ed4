import { eq } from "drizzle-orm";
import { describe, expect } from "vitest";
import { storeEvents } from "@/db/queries/events";
import { events } from "@/db/schema";
import { it } from "@/testing/db-test";
import { processWithCallbacks, sampleEvent } from "@/testing/fixtures";
import { createOutbox } from "./outbox";

async function storedEventId() {
  const setup = await processWithCallbacks(`Outbox ${Math.random()}`, [
    { url: "https://hooks.example.com/" },
  ]);
  const stored = await storeEvents(setup.workspaceId, [sampleEvent(setup.process.id)]);
  return stored.accepted[0]?.id as string;
}

describe("the outbox", () => {
  it("records an engine that cannot start as a failed hand-off, and stops asking it for a while", async ({
    db,
  }) => {
    let asked = 0;
    const outbox = createOutbox(async () => {
      asked += 1;
      throw new Error("the delivery queue could not start");
    });
    const first = await storedEventId();
    expect(await outbox.handOff([first])).toEqual({ handedOff: 0, pending: 1 });
    const [row] = await db.select().from(events).where(eq(events.id, first));
    expect(row?.lastHandoffError).toBe("the delivery queue could not start");
    expect(row?.handedOffAt).toBeNull();

    // Paused: the next request's events stay pending without another start; forced, it is asked again.
    const second = await storedEventId();
    await expect(outbox.handOffBatched([second])).resolves.toBeUndefined();
    expect(asked).toBe(1);
    expect(await outbox.handOff([second], { force: true })).toEqual({ handedOff: 0, pending: 1 });
    expect(asked).toBe(2);
  });

  it("hands off to an engine that takes the events", async () => {
    const taken: string[] = [];
    const outbox = createOutbox(async () => ({
      handOff: async (ids: string[]) => {
        taken.push(...ids);
      },
    }));
    const id = await storedEventId();
    expect(await outbox.handOff([id])).toEqual({ handedOff: 1, pending: 0 });
    expect(taken).toEqual([id]);
  });
});
