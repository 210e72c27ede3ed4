import { expect, test } from "@playwright/test";
import { CONTRACT_ADMIN } from "../testing/contract-account";
import {
  CONTRACT_RETRY_WAITS,
  CONTRACT_SETTINGS,
  inTurn,
  slowReceiver,
  startWorld,
  type World,
} from "../testing/contract-world";
import { engineConfigs } from "../testing/engines";
import { ProcessPage } from "./pages/process-page";
import { type Receiver, startReceiver } from "./receiver";
import { signInState } from "./sessions";

/**
 * The delivery contract, run against each engine on a real app server (`next start`), real receivers on
 * 127.0.0.1 and a real database. Both engines must behave the same; a configuration that cannot run
 * here is skipped with its reason.
 */
const CONCURRENCY = Number(CONTRACT_SETTINGS.DELIVERY_CONCURRENCY);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const idsOf = (receiver: Receiver) => receiver.received.map((w) => w.headers["webhook-id"]);

async function scenarios() {
  const one = (receiver: Receiver, extra: object = {}) => ({ url: `${receiver.url}/hook`, ...extra });
  return {
    fanout: {
      receivers: {
        activity: await startReceiver({ bearerToken: "tok_contract_a" }),
        full: await startReceiver({ authHeader: { key: "X-API-Key", value: "key_contract_b" } }),
        off: await startReceiver(),
      },
      callbacks: (r: Record<string, Receiver>) => [
        one(r.activity as Receiver, { authType: "bearer", bearerToken: "tok_contract_a" }),
        one(r.full as Receiver, {
          payloadFormat: "full_lead",
          authType: "custom_header",
          authHeaderKey: "X-API-Key",
          authHeaderValue: "key_contract_b",
        }),
        one(r.off as Receiver, { enabled: false }),
      ],
    },
    bystander: {
      receivers: { bystander: await startReceiver() },
      callbacks: (r: Record<string, Receiver>) => [one(r.bystander as Receiver)],
    },
    retry: {
      receivers: {
        retry: await startReceiver({ respond: inTurn({ status: 500 }, { status: 503 }, { status: 200 }) }),
      },
      callbacks: (r: Record<string, Receiver>) => [one(r.retry as Receiver)],
    },
    retryAfter: {
      receivers: {
        retryAfter: await startReceiver({
          respond: inTurn({ status: 429, headers: { "retry-after": "2" } }, { status: 200 }),
        }),
      },
      callbacks: (r: Record<string, Receiver>) => [one(r.retryAfter as Receiver)],
    },
    gone: {
      receivers: { gone: await startReceiver({ respond: () => ({ status: 410 }) }) },
      callbacks: (r: Record<string, Receiver>) => [one(r.gone as Receiver)],
    },
    slow: {
      receivers: { slow: await slowReceiver(300) },
      callbacks: (r: Record<string, Receiver>) => [one(r.slow as Receiver)],
    },
    duplicate: {
      receivers: { duplicate: await startReceiver() },
      callbacks: (r: Record<string, Receiver>) => [one(r.duplicate as Receiver)],
    },
    crash: {
      receivers: { crash: await slowReceiver(1000) },
      callbacks: (r: Record<string, Receiver>) => [one(r.crash as Receiver)],
    },
    drain: {
      receivers: { drain: await slowReceiver(1500) },
      callbacks: (r: Record<string, Receiver>) => [one(r.drain as Receiver)],
    },
    outage: {
      receivers: { outage: await startReceiver() },
      callbacks: (r: Record<string, Receiver>) => [one(r.outage as Receiver)],
    },
    redeliver: {
      receivers: { redeliver: await startReceiver() },
      callbacks: (r: Record<string, Receiver>) => [one(r.redeliver as Receiver)],
    },
    replay: {
      // Down (500) until the test fixes it.
      receivers: { replay: await startReceiver({ respond: () => ({ status: 500 }) }) },
      callbacks: (r: Record<string, Receiver>) => [one(r.replay as Receiver)],
    },
  };
}

for (const [index, config] of engineConfigs().entries()) {
  test.describe(`delivery contract: ${config.name}`, () => {
    test.describe.configure({ mode: "serial", timeout: 180_000 });
    let world: World;
    const receiver = (name: string) => world.receivers[name] as Receiver;

    test.beforeAll(async () => {
      const reason = config.skipReason();
      if (reason) console.log(`delivery contract: ${config.name} skipped: ${reason}`);
      test.skip(reason !== null, reason ?? "");
      world = await startWorld(config, 3200 + index * 10, await scenarios());
    });
    test.afterAll(async () => {
      await world?.close();
    });

    test("an event reaches every subscribed callback exactly once, signed and authenticated; others get nothing", async () => {
      const call = world.event("fanout");
      const update = world.event("fanout", { type: "lead.updated" });
      expect((await world.post({ events: [call, update] })).status).toBe(202);
      await receiver("activity").waitFor();
      await receiver("full").waitFor((w) => (w.json as { type: string }).type === "lead.updated");
      await receiver("full").waitFor((w) => (w.json as { type: string }).type === "call.completed");
      await sleep(1500);
      // Activity Update does not subscribe to lead.updated; Full Lead gets both.
      expect(receiver("activity").received.map((w) => (w.json as { type: string }).type)).toEqual([
        "call.completed",
      ]);
      expect(
        receiver("full")
          .received.map((w) => (w.json as { type: string }).type)
          .sort(),
      ).toEqual(["call.completed", "lead.updated"]);
      for (const hook of [...receiver("activity").received, ...receiver("full").received]) {
        expect(hook.signatureValid).toBe(true);
        expect(hook.authValid).toBe(true);
      }
      // Each webhook names the producer's event that caused it.
      const eventIds = (hooks: { json: unknown }[]) =>
        hooks
          .map((w) => w.json as { type: string; data: { event: { id: string } } })
          .map((body) => `${body.type} ${body.data.event.id}`)
          .sort();
      expect(eventIds(receiver("full").received)).toEqual([
        `call.completed ${call.id}`,
        `lead.updated ${update.id}`,
      ]);
      expect(eventIds(receiver("activity").received)).toEqual([`call.completed ${call.id}`]);
      expect(receiver("off").received).toHaveLength(0);
      expect(receiver("bystander").received).toHaveLength(0);
    });

    test("500, then 503, then 200: delivered on attempt 3 with one webhook-id, after the schedule's waits", async ({
      page,
    }) => {
      expect((await world.post(world.event("retry"))).status).toBe(202);
      await expect.poll(() => receiver("retry").received.length, { timeout: 30_000 }).toBe(3);
      expect(new Set(idsOf(receiver("retry"))).size).toBe(1);
      // DELIVERY_RETRY_SCHEDULE 1s,3s,1s, each wait ±10%: at least 900 ms, then at least 2700 ms (a
      // doubling backoff from 1 s would have waited 2 s the second time).
      const at = receiver("retry").received.map((w) => w.receivedAt.getTime());
      const [first, second] = CONTRACT_RETRY_WAITS as [number, number];
      expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(first * 0.9);
      expect((at[2] ?? 0) - (at[1] ?? 0)).toBeGreaterThanOrEqual(second * 0.9);
      // The process page states the schedule this server follows.
      await page.context().addCookies((await signInState(world.app.url, CONTRACT_ADMIN)).cookies);
      await page.goto(`${world.app.url}/processes/${world.setup.processes.retry?.id}`);
      await expect(page.getByTestId("retry-schedule")).toContainText(
        "retried 3 times over about 5 s, waiting 1 s, 3 s and 1 s between attempts",
      );
      await sleep(1000);
      expect(receiver("retry").received).toHaveLength(3);
    });

    test("429 with Retry-After: 2: the next attempt not before 2 s", async () => {
      expect((await world.post(world.event("retryAfter"))).status).toBe(202);
      await expect.poll(() => receiver("retryAfter").received.length, { timeout: 30_000 }).toBe(2);
      const [first, second] = receiver("retryAfter").received;
      expect((second?.receivedAt.getTime() ?? 0) - (first?.receivedAt.getTime() ?? 0)).toBeGreaterThanOrEqual(
        2000,
      );
      expect(second?.headers["webhook-id"]).toBe(first?.headers["webhook-id"]);
    });

    test("410 Gone: the callback is disabled and gets no more attempts", async () => {
      expect((await world.post(world.event("gone"))).status).toBe(202);
      await receiver("gone").waitFor();
      await sleep(1500);
      expect((await world.post(world.event("gone"))).status).toBe(202);
      await sleep(2000);
      expect(receiver("gone").received).toHaveLength(1);
    });

    test(`a slow receiver and 30 events: never more than ${CONCURRENCY} requests in flight to it`, async () => {
      const events = Array.from({ length: 30 }, () => world.event("slow"));
      expect((await world.post({ events })).status).toBe(202);
      const slow = receiver("slow") as Awaited<ReturnType<typeof slowReceiver>>;
      await expect.poll(() => new Set(idsOf(slow)).size, { timeout: 60_000 }).toBe(30);
      expect(slow.stats.maxInFlight).toBeLessThanOrEqual(CONCURRENCY);
      // The limit is what held it back: deliveries did run side by side.
      expect(slow.stats.maxInFlight).toBeGreaterThanOrEqual(2);
    });

    test("the same event id twice: one delivery", async () => {
      const event = world.event("duplicate");
      expect(await (await world.post(event)).json()).toEqual({ accepted: [event.id], duplicates: [] });
      expect(await (await world.post(event)).json()).toEqual({ accepted: [], duplicates: [event.id] });
      await receiver("duplicate").waitFor();
      await sleep(1500);
      expect(receiver("duplicate").received).toHaveLength(1);
    });

    test("killed with SIGKILL while deliveries are queued and in flight: every one delivered after a restart", async () => {
      const crash = receiver("crash");
      const events = Array.from({ length: 12 }, () => world.event("crash"));
      expect((await world.post({ events })).status).toBe(202);
      await expect.poll(() => crash.received.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
      await world.app.stop("SIGKILL");
      const beforeRestart = new Set(idsOf(crash)).size;
      expect(beforeRestart).toBeLessThan(12);
      await world.app.restart();
      await expect.poll(() => new Set(idsOf(crash)).size, { timeout: 120_000, intervals: [1000] }).toBe(12);
      // Let the last answers reach the server before the next test, which may kill it again.
      await expect.poll(() => (crash as Awaited<ReturnType<typeof slowReceiver>>).stats.inFlight).toBe(0);
      // At least once: a repeat is the same delivery, with the same webhook-id and body.
      const bodies = new Map<string, string>();
      for (const hook of crash.received) {
        const id = hook.headers["webhook-id"] as string;
        expect(bodies.get(id) ?? hook.rawBody).toBe(hook.rawBody);
        bodies.set(id, hook.rawBody);
        expect(hook.signatureValid).toBe(true);
      }
      // ...and recorded: attempts cut off by the kill run again on the engine's own schedule (Inngest's
      // backoff for a step whose request failed is 10 s, then 20 s, ...).
      const crashCallback = world.setup.processes.crash?.callbacks[0]?.id;
      const recorded = async () =>
        (await world.inspect()).deliveries.filter(
          (d) => d.callbackId === crashCallback && d.status === "succeeded",
        ).length;
      try {
        await expect.poll(recorded, { timeout: 150_000, intervals: [5000] }).toBe(12);
      } catch (error) {
        throw new Error(
          `${(error as Error).message}\nengine output:\n${world.engine.output?.() ?? "(none)"}`,
        );
      }
    });

    test("SIGTERM with deliveries in flight: they finish and are recorded, none is sent twice, and the server exits in time", async () => {
      const drain = receiver("drain") as Awaited<ReturnType<typeof slowReceiver>>;
      const events = Array.from({ length: 12 }, () => world.event("drain"));
      expect((await world.post({ events })).status).toBe(202);
      // The receiver answers after 1.5 s: stop while requests are under way.
      await expect.poll(() => drain.stats.inFlight, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
      const signalled = Date.now();
      await world.app.stop("SIGTERM");
      // Gone within the delivery timeout and a few seconds, every request it had made answered first.
      expect(Date.now() - signalled).toBeLessThan(Number(CONTRACT_SETTINGS.DELIVERY_TIMEOUT_MS) + 5000);
      expect(drain.stats.inFlight).toBe(0);
      const beforeRestart = drain.received.length;
      expect(beforeRestart).toBeLessThan(12);
      await world.app.restart();
      await expect.poll(() => new Set(idsOf(drain)).size, { timeout: 120_000, intervals: [1000] }).toBe(12);
      await expect.poll(() => drain.stats.inFlight).toBe(0);
      // Nothing twice: no attempt was cut off by the stop, and none left locked to be taken again later.
      await sleep(2000);
      expect(drain.received).toHaveLength(12);
      const drainCallback = world.setup.processes.drain?.callbacks[0]?.id;
      const attempts = (await world.inspect()).deliveries
        .filter((d) => d.callbackId === drainCallback)
        .map((d) => [d.status, d.attempts.length]);
      expect(attempts).toEqual(Array.from({ length: 12 }, () => ["succeeded", 1]));
    });

    test("the engine unreachable at ingest: 202, and delivered once it is back", async ({ page }) => {
      await page.context().addCookies((await signInState(world.app.url, CONTRACT_ADMIN)).cookies);
      const outage = receiver("outage");
      const processId = world.setup.processes.outage?.id as string;
      if (world.engine.outage) {
        await world.engine.outage.down();
        const events = [world.event("outage"), world.event("outage")];
        expect((await world.post({ events })).status).toBe(202);
        await page.goto(`${world.app.url}/processes/${processId}`);
        await expect(
          page.getByRole("alert").filter({ hasText: "2 events have not been queued" }),
        ).toBeVisible({
          timeout: 15_000,
        });
        await world.engine.outage.up();
      } else {
        // The embedded engine lives in the server: its outage is the server dying between storing events
        // and queueing them. They are queued when it comes back.
        await world.app.stop("SIGKILL");
        await world.storeWithoutHandOff([world.event("outage"), world.event("outage")]);
        await world.app.restart();
      }
      await expect.poll(() => new Set(idsOf(outage)).size, { timeout: 120_000, intervals: [1000] }).toBe(2);
      await page.goto(`${world.app.url}/processes/${processId}`);
      await expect(page.getByTestId("delivery-status").getByRole("alert")).toHaveCount(0);
    });

    test("Redeliver: a new attempt with the same webhook-id", async ({ page }) => {
      await page.context().addCookies((await signInState(world.app.url, CONTRACT_ADMIN)).cookies);
      const redeliver = receiver("redeliver");
      expect((await world.post(world.event("redeliver"))).status).toBe(202);
      const first = await redeliver.waitFor();
      await page.goto(`${world.app.url}/processes/${world.setup.processes.redeliver?.id}`);
      const process = new ProcessPage(page);
      await process.expand();
      const log = process.callback(1).root.getByRole("table", { name: /Recent deliveries/ });
      await expect(log.getByRole("row").nth(1)).toContainText("Succeeded");
      await log
        .getByRole("button", { name: /View delivery/ })
        .first()
        .click();
      await page.getByTestId("delivery-detail").getByRole("button", { name: "Redeliver" }).click();
      await expect(page.getByText("Queued for redelivery with the same webhook-id.")).toBeVisible();
      await expect.poll(() => redeliver.received.length, { timeout: 30_000 }).toBe(2);
      expect(redeliver.received[1]?.headers["webhook-id"]).toBe(first.headers["webhook-id"]);
      expect(redeliver.received[1]?.rawBody).toBe(first.rawBody);
    });

    test("Replay: failed deliveries go again, queued by the engine, with their webhook-ids", async ({
      page,
    }) => {
      await page.context().addCookies((await signInState(world.app.url, CONTRACT_ADMIN)).cookies);
      const replay = receiver("replay");
      const callbackId = world.setup.processes.replay?.callbacks[0]?.id;
      expect((await world.post({ events: [world.event("replay"), world.event("replay")] })).status).toBe(202);
      // Each fails all its attempts (1 + the schedule's retries).
      const attempts = 2 * (1 + CONTRACT_RETRY_WAITS.length);
      await expect.poll(() => replay.received.length, { timeout: 30_000 }).toBe(attempts);
      await expect
        .poll(async () =>
          (await world.inspect()).deliveries.filter((d) => d.callbackId === callbackId).map((d) => d.status),
        )
        .toEqual(["failed", "failed"]);
      const failedIds = new Set(idsOf(replay));
      expect(failedIds.size).toBe(2);
      replay.clear();
      replay.respondWith(() => ({ status: 200 }));

      await page.goto(`${world.app.url}/processes/${world.setup.processes.replay?.id}/replays`);
      const form = page.getByRole("region", { name: "Replay deliveries" });
      await form.getByRole("button", { name: "Start replay" }).click();
      await expect(form.getByRole("status")).toHaveText("Replay started: 2 deliveries to send.");
      const started = page.getByRole("listitem").filter({ hasText: "Started" }).first();
      await expect(started.getByText("Finished")).toBeVisible({ timeout: 60_000 });
      await expect(started.getByTestId("replay-progress")).toContainText(
        "Queued 2 of 2 · 2 succeeded · 0 failed",
      );
      expect(new Set(idsOf(replay))).toEqual(failedIds);
      expect(replay.received).toHaveLength(2);
    });

    test("the delivery log records every attempt as it happened", async () => {
      const log = await world.inspect();
      const processOf = (name: string) => world.setup.processes[name];
      const deliveriesOf = (name: string, callback = 0) =>
        log.deliveries.filter((d) => d.callbackId === processOf(name)?.callbacks[callback]?.id);
      const attempts = (name: string) =>
        deliveriesOf(name).map((d) => d.attempts.map((a) => [a.attemptNumber, a.responseStatus]));

      expect(deliveriesOf("fanout", 0).map((d) => d.status)).toEqual(["succeeded"]);
      expect(deliveriesOf("fanout", 1).map((d) => d.status)).toEqual(["succeeded", "succeeded"]);
      expect(deliveriesOf("fanout", 2)).toEqual([]);
      expect(deliveriesOf("bystander")).toEqual([]);
      expect(attempts("retry")).toEqual([
        [
          [1, 500],
          [2, 503],
          [3, 200],
        ],
      ]);
      expect(deliveriesOf("retry")[0]?.status).toBe("succeeded");
      expect(attempts("retryAfter")).toEqual([
        [
          [1, 429],
          [2, 200],
        ],
      ]);
      expect(attempts("gone")).toEqual([[[1, 410]]]);
      expect(deliveriesOf("gone")[0]?.status).toBe("failed");
      const gone = log.callbacks.find((c) => c.id === processOf("gone")?.callbacks[0]?.id);
      expect(gone).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/410 Gone/) });
      expect(deliveriesOf("duplicate")).toHaveLength(1);
      expect(deliveriesOf("slow").filter((d) => d.status === "succeeded")).toHaveLength(30);
      expect(deliveriesOf("crash").filter((d) => d.status === "succeeded")).toHaveLength(12);
      expect(deliveriesOf("redeliver").map((d) => [d.status, d.attempts.length])).toEqual([["succeeded", 2]]);
    });
  });
}
