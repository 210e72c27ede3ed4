import { expect, type Page, test } from "@playwright/test";
import { CONTRACT_ADMIN } from "../testing/contract-account";
import { startWorld, type World } from "../testing/contract-world";
import { type EngineConfig, pgliteDatabase, postgresDatabase, postgresServerUrl } from "../testing/engines";
import { ProcessPage } from "./pages/process-page";
import { type ReceivedWebhook, type Receiver, startReceiver } from "./receiver";
import { signInState } from "./sessions";

/**
 * A callback whose every delivery fails for CALLBACK_DISABLE_AFTER is turned off at its next failed
 * attempt, on a real `next start` of its own (the shared servers' tests must not see a 10-second
 * period), and the admin sees why and switches it back on.
 */
const PERIOD_MS = 10_000;
// Beside the config's servers (E2E_PORT, +1), the access suite's 3160 and the contract suite's 3200-3249.
const PORT = Number(process.env.E2E_PORT ?? 3100) + 50;
const ENGINE: EngineConfig = {
  name: "embedded engine, CALLBACK_DISABLE_AFTER=10s",
  skipReason: () => null,
  database: () => (postgresServerUrl() ? postgresDatabase() : pgliteDatabase()),
  start: async () => ({
    appEnv: {
      LEADHOOK_ENGINE: "embedded",
      CALLBACK_DISABLE_AFTER: `${PERIOD_MS / 1000}s`,
      // Each event: an attempt and one retry shortly after.
      DELIVERY_RETRY_SCHEDULE: "300ms",
    },
    stop: async () => {},
  }),
};
/** How long the callback may take to be turned off once it failed past the period: generous. */
const TURN_OFF_TIMEOUT_MS = 30_000;
const TURNED_OFF = "Callbacks turned off automatically";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

// The periodic check (AUTO_DISABLE_CRON, "*/5 * * * *") runs within about a minute of each fifth minute:
// pg-boss sends a due cron job within 30 s and a worker takes it within seconds.
const CRON_MS = 5 * 60_000;
const CRON_LAG_MS = 75_000;

/**
 * Waits until no run of the periodic check can fall between `fromMs` and `toMs` from now, so that only
 * the check at a failed attempt can turn the callback off in that span (and this test fails without it).
 */
async function awayFromPeriodicCheck(fromMs: number, toMs: number) {
  for (;;) {
    const now = Date.now();
    const lastTick = Math.floor((now + toMs) / CRON_MS) * CRON_MS;
    if (lastTick + CRON_LAG_MS < now + fromMs) return;
    await sleep(lastTick + CRON_LAG_MS - (now + fromMs) + 1000);
  }
}

test.describe("automatic turn-off after CALLBACK_DISABLE_AFTER", () => {
  test.describe.configure({ timeout: 300_000 });
  let world: World;
  let failing: Receiver;
  let healthy: Receiver;

  test.beforeAll(async () => {
    failing = await startReceiver({ respond: () => ({ status: 500, body: "down" }) });
    healthy = await startReceiver();
    world = await startWorld(ENGINE, PORT, {
      "auto-disable": {
        receivers: { failing, healthy },
        callbacks: () => [{ url: `${failing.url}/hook` }, { url: `${healthy.url}/hook` }],
      },
    });
  });
  test.afterAll(async () => {
    await world?.close();
  });

  // The producer's event id each webhook carries.
  const eventIdOf = (w: ReceivedWebhook) => (w.json as { data: { event: { id: string } } }).data.event.id;

  async function postEvent() {
    const event = world.event("auto-disable");
    expect((await world.post(event)).status).toBe(202);
    return event;
  }

  async function reloadUntil(page: Page, url: string, check: () => Promise<void>) {
    await expect(async () => {
      await page.goto(url);
      await check();
    }).toPass({ timeout: TURN_OFF_TIMEOUT_MS, intervals: [500, 1000] });
  }

  test("a callback failing for the whole period is turned off at its next failure, shown, and switched back on", async ({
    page,
  }) => {
    await page.context().addCookies((await signInState(world.app.url, CONTRACT_ADMIN)).cookies);
    const processId = world.setup.processes["auto-disable"]?.id as string;
    const processUrl = `${world.app.url}/processes/${processId}`;
    const listUrl = `${world.app.url}/processes`;
    const listRow = page.getByRole("row").filter({ hasText: "Contract auto-disable" });
    const turnedOff = page.getByRole("region", { name: TURNED_OFF });

    await awayFromPeriodicCheck(PERIOD_MS, PERIOD_MS + 5_000 + TURN_OFF_TIMEOUT_MS + 5_000);
    await test.step("failing for less than the period: Failing, still on", async () => {
      await postEvent();
      await expect.poll(() => failing.received.length, { timeout: 20_000 }).toBe(2);
      await page.goto(listUrl);
      await expect(listRow).toContainText("Failing");
      await expect(turnedOff).toHaveCount(0);
    });

    let postedAt = 0;
    await test.step("after the period, the next failure turns it off", async () => {
      const since = failing.received[0]?.receivedAt.getTime() as number;
      await sleep(since + PERIOD_MS + 1000 - Date.now());
      postedAt = Date.now();
      const event = await postEvent();
      await failing.waitFor((w) => eventIdOf(w) === event.id, 20_000);
      await reloadUntil(page, processUrl, () => expect(turnedOff).toBeVisible({ timeout: 1000 }));
    });

    await test.step("the process page says when and why", async () => {
      await expect(turnedOff).toContainText(
        /Callback 1 was turned off automatically on .+ UTC\. Turned off automatically: every delivery failed for 10 seconds \(since .+ UTC\)\./,
      );
      const at = Date.parse((await turnedOff.locator("time").getAttribute("datetime")) ?? "");
      expect(at).toBeGreaterThanOrEqual(postedAt - 1000);
      expect(at).toBeLessThanOrEqual(Date.now());
      const process = new ProcessPage(page);
      await process.expand();
      const notice = process.callback(1).root.getByRole("note");
      await expect(notice).toContainText("Turned off automatically on");
      await expect(notice).toContainText("every delivery failed for 10 seconds");
      await expect(process.callback(1).root.getByRole("switch", { name: "Enabled" })).toHaveAttribute(
        "aria-checked",
        "false",
      );
    });

    await test.step("the Processes list: Disabled, and its banner", async () => {
      await page.goto(listUrl);
      await expect(listRow).toContainText("Disabled");
      await expect(turnedOff).toContainText(
        "1 callback was turned off because every delivery failed for 10 seconds: Contract auto-disable (Callback 1).",
      );
      await expect(
        turnedOff.getByRole("link", { name: "Contract auto-disable (Callback 1)" }),
      ).toHaveAttribute("href", `/processes/${processId}`);
    });

    await test.step("further events are not sent to it", async () => {
      const before = failing.received.length;
      const event = await postEvent();
      // Its deliveries are made together: once the other callback has it, this one's would exist too.
      await healthy.waitFor((w) => eventIdOf(w) === event.id, 20_000);
      await page.goto(`${processUrl}/events`);
      const row = page
        .getByRole("table", { name: "Received events, newest first" })
        .getByRole("row")
        .filter({ hasText: event.id });
      await expect(row).toContainText("Callback 2");
      await expect(row).not.toContainText("Callback 1");
      expect(failing.received).toHaveLength(before);
    });

    await test.step("switched back on: the banners go, and deliveries resume", async () => {
      await page.goto(processUrl);
      const process = new ProcessPage(page);
      await process.expand();
      await process.callback(1).root.getByRole("switch", { name: "Enabled" }).click();
      await process.save();
      await page.reload();
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expect(turnedOff).toHaveCount(0);
      await page.goto(listUrl);
      await expect(listRow).not.toContainText("Disabled");
      await expect(turnedOff).toHaveCount(0);
      const event = await postEvent();
      await failing.waitFor((w) => eventIdOf(w) === event.id, 20_000);
    });
  });
});
