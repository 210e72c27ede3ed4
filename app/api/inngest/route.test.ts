import { describe, expect, it, vi } from "vitest";
import { type JobDefinition, jobs } from "@/delivery/jobs";

vi.hoisted(() => {
  process.env.INNGEST_DEV = "1";
});

const { GET, PUT } = await import("./route");

type FunctionConfig = {
  id: string;
  triggers: { event?: string; cron?: string }[];
  concurrency?: { key?: string; limit: number }[];
  steps: Record<string, { retries?: { attempts: number } }>;
};

describe("the Inngest serve route (dev mode)", () => {
  it("answers GET with its introspection: dev mode, eight functions (onFailure handlers included)", async () => {
    const response = await GET(new Request("http://localhost:3000/api/inngest") as never, undefined as never);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ mode: "dev", function_count: 8 });
  });

  it("lists each function with its triggers, concurrency and retries when Inngest syncs it", async () => {
    const response = await PUT(
      new Request("http://localhost:3000/api/inngest", {
        method: "PUT",
        headers: { "content-type": "application/json", "x-inngest-sync-kind": "in_band" },
        body: JSON.stringify({ url: "http://localhost:3000/api/inngest" }),
      }) as never,
      undefined as never,
    );
    expect(response.status).toBe(200);
    const { functions } = (await response.json()) as { functions: FunctionConfig[] };
    const byId = Object.fromEntries(functions.map((f) => [f.id.replace(/^leadhook-/, ""), f]));
    // deliver-failure is deliver's onFailure handler: a delivery Inngest gives up on is marked failed.
    expect(Object.keys(byId).sort()).toEqual([
      "deliver",
      "deliver-failure",
      "disable-failing-callbacks",
      "fan-out",
      "purge-expired",
      "replay",
      "replay-failure",
      "resend-pending-handoffs",
    ]);
    expect(byId["fan-out"]?.triggers).toEqual([{ event: "leadhook/event.received" }]);
    expect(byId.deliver?.triggers).toEqual([{ event: "leadhook/delivery.requested" }]);
    expect(byId.deliver?.concurrency).toEqual([{ key: "event.data.callbackId", limit: 10 }]);
    expect(Object.values(byId.deliver?.steps ?? {})[0]?.retries).toEqual({
      attempts: jobs.deliver.retries.limit,
    });
    expect(byId["resend-pending-handoffs"]?.triggers).toEqual([{ cron: "* * * * *" }]);
    expect(byId["disable-failing-callbacks"]?.triggers).toEqual([{ cron: "*/5 * * * *" }]);
    expect(byId["purge-expired"]?.triggers).toEqual([{ cron: "*/5 * * * *" }]);
    // A replay queues its batches one run at a time.
    expect(byId.replay?.triggers).toEqual([{ event: "leadhook/replay.requested" }]);
    expect(byId.replay?.concurrency).toEqual([{ key: "event.data.replayId", limit: 1 }]);

    // Every function is a job of the catalog, triggered as the catalog says: its event or its schedule.
    for (const job of Object.values(jobs) as JobDefinition[]) {
      if (!job.inngest) {
        expect(byId[job.name], `${job.name} is not an Inngest function`).toBeUndefined();
        continue;
      }
      const trigger = job.inngest.event ? { event: job.inngest.event } : { cron: job.schedule };
      expect(byId[job.name]?.triggers, job.name).toEqual([trigger]);
    }
  });
});
