import { expect, type ReceivedWebhook, test } from "./fixtures";
import { createIngestKey } from "./pages/api-keys";
import { ProcessPage } from "./pages/process-page";

test.use({ role: "admin" });

function leadIdOf(webhook: ReceivedWebhook): unknown {
  return (webhook.json as { data?: { lead?: { id?: unknown } } } | null)?.data?.lead?.id;
}

test("the Events pages list received events with their deliveries, filter them, and open one", async ({
  page,
  request,
  receiver,
}) => {
  const key = await createIngestKey(page, "events");

  const process = await ProcessPage.createNew(page, "Events Log Check");
  const processId = page.url().split("/").pop() ?? "";
  await process.expand();
  const cb = await process.addCallback();
  await cb.url.fill(`${receiver.url}/ok`);
  await process.save();

  const run = Date.now();
  const first = {
    id: `evt_log_a_${run}`,
    type: "lead.status_changed",
    processId,
    occurredAt: new Date().toISOString(),
    lead: { id: `lead_log_a_${run}`, name: "Asha Verma", phone: "+919812345678", status: "Interested" },
  };
  const second = {
    id: `evt_log_b_${run}`,
    type: "call.completed",
    processId,
    occurredAt: new Date().toISOString(),
    lead: { id: `lead_log_b_${run}`, name: "Ravi Kumar", disposition: "Callback Requested" },
    activity: { type: "call", callId: `call_${run}`, outcome: "answered", durationSec: 42 },
  };
  // One after the other, so the second is received later and listed first.
  for (const event of [first, second]) {
    const accepted = await request.post("/api/events", {
      headers: { authorization: `Bearer ${key}` },
      data: event,
    });
    expect(accepted.status()).toBe(202);
  }
  const firstWebhook = await receiver.waitFor((w) => leadIdOf(w) === first.lead.id);
  await receiver.waitFor((w) => leadIdOf(w) === second.lead.id);

  // The process's Events page: both, newest first, each delivered to Callback 1.
  const eventsPath = `/processes/${processId}/events`;
  await page.goto(eventsPath);
  await expect(page.getByRole("heading", { level: 1, name: "Events · Events Log Check" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toContainText(
    "Processes / Events Log Check / Events",
  );
  const table = page.getByRole("table", { name: "Received events, newest first" });
  const rows = table.getByRole("row");
  await expect(async () => {
    await page.reload();
    await expect(rows).toHaveCount(3, { timeout: 1_000 });
    await expect(rows.nth(1)).toContainText("Callback 1: Succeeded", { timeout: 1_000 });
    await expect(rows.nth(2)).toContainText("Callback 1: Succeeded", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(rows.nth(1)).toContainText(second.id);
  await expect(rows.nth(1)).toContainText("call.completed");
  await expect(rows.nth(1)).toContainText("Callback Requested");
  await expect(rows.nth(2)).toContainText(first.id);
  await expect(rows.nth(2)).toContainText("Asha Verma");
  await expect(rows.nth(2)).toContainText("+919812345678");
  await expect(rows.nth(2)).toContainText("Interested");

  // Filtering by one lead id shows only its event, and the filtered view is a link.
  await page.getByLabel("Lead id or phone").fill(first.lead.id);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`lead=${first.lead.id}`));
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText(first.id);

  // Nothing failed, so Failing shows none.
  await page.getByLabel("Lead id or phone").fill("");
  await page.getByLabel("Delivery state").selectOption({ label: "Failing" });
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/state=failing/);
  await expect(page.getByText("No events match these filters")).toBeVisible();
  await expect(table).toHaveCount(0);

  // The workspace's Events page finds the other one by its lead, with its process.
  await page.goto(`/events?lead=${second.lead.id}`);
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1).getByRole("link", { name: "Events Log Check" })).toBeVisible();
  // How long they are kept (RETENTION_DAYS, 30 by default).
  await expect(page.getByText("Events, their deliveries and attempts are kept for 30 days")).toBeVisible();

  // One event: as stored, the exact body its callback received, and the attempt.
  await page.goto(eventsPath);
  await table.getByRole("link", { name: new RegExp(first.id) }).click();
  await expect(page).toHaveURL(/\/events\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("lead.status_changed");
  const stored = page.getByRole("figure", { name: "Stored payload" }).locator("pre");
  expect(JSON.parse((await stored.textContent()) ?? "")).toEqual(first);
  const callback = page.getByRole("region", { name: `Callback 1 (${receiver.url}/ok)` });
  await expect(callback).toContainText("Succeeded");
  // The body as sent, pretty-printed; Copy gives the exact bytes the receiver got.
  const body = callback.getByRole("figure", { name: "Body sent" }).locator("pre");
  expect(JSON.parse((await body.textContent()) ?? "")).toEqual(JSON.parse(firstWebhook.rawBody));
  expect(await body.textContent()).toContain('\n  "type": "lead.status_changed"');
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await callback.getByRole("button", { name: "Copy exact body sent" }).click();
  await expect(callback.getByRole("button", { name: "Copy exact body sent" })).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(firstWebhook.rawBody);
  // The webhook-id the receiver got, and each attempt's time to the second.
  await expect(callback.getByTestId("webhook-id")).toHaveText(firstWebhook.headers["webhook-id"] as string);
  const attempt = callback.getByRole("table", { name: "Attempts, first to last" }).getByRole("row").nth(1);
  await expect(attempt.getByRole("cell").nth(0)).toHaveText("1");
  await expect(attempt.getByRole("cell").nth(1)).toHaveText(/\d{1,2}:\d{2}:\d{2} [AP]M UTC$/);
  await expect(attempt.getByRole("cell").nth(2)).toHaveText("—");
  await expect(attempt.getByRole("cell").nth(3)).toContainText("Succeeded");
  await expect(attempt.getByRole("cell").nth(4)).toHaveText("200");
  await expect(attempt.getByRole("cell").nth(5)).toHaveText(/^\d+ ms$/);

  // On a phone each event is a card (e2e/layout.spec.ts looks closer); the page never scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(eventsPath);
  await expect(rows).toHaveCount(3);
  expect(
    await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
  ).toBe(0);
});

test("an event id that does not exist is a proper 404", async ({ page }) => {
  const missing = await page.goto("/events/00000000-0000-4000-8000-000000000000");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Event not found" })).toBeVisible();
  expect((await page.goto("/events/not-a-uuid"))?.status()).toBe(404);
  expect((await page.goto("/processes/00000000-0000-4000-8000-000000000000/events"))?.status()).toBe(404);
  // A process id that is not one is answered by the page itself, before any query.
  for (const path of ["", "/events", "/replays"]) {
    const response = await page.goto(`/processes/'%3B%20drop%20table%20processes%3B%20--${path}`);
    expect(response?.status(), path).toBe(404);
  }
});

test("a named callback is called by its name on the Events pages", async ({ page, request, receiver }) => {
  const key = await createIngestKey(page, "events-named");
  const process = await ProcessPage.createNew(page, "Named Callback Events");
  const processId = page.url().split("/").pop() ?? "";
  await process.expand();
  const cb = await process.addCallback();
  await cb.name.fill("CRM sync");
  await cb.url.fill(`${receiver.url}/ok`);
  const plain = await process.addCallback();
  await plain.url.fill(`${receiver.url}/ok-too`);
  await process.save();

  const event = {
    id: `evt_named_${Date.now()}`,
    type: "lead.status_changed",
    processId,
    occurredAt: new Date().toISOString(),
    lead: { id: `lead_named_${Date.now()}`, name: "Asha Verma", status: "Interested" },
  };
  const accepted = await request.post("/api/events", {
    headers: { authorization: `Bearer ${key}` },
    data: event,
  });
  expect(accepted.status()).toBe(202);

  await page.goto(`/processes/${processId}/events`);
  const row = page.getByRole("table", { name: "Received events, newest first" }).getByRole("row").nth(1);
  await expect(async () => {
    await page.reload();
    await expect(row).toContainText("CRM sync: Succeeded", { timeout: 1_000 });
    await expect(row).toContainText("Callback 2: Succeeded", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(row).not.toContainText("Callback 1");

  await row.getByRole("link", { name: new RegExp(event.id) }).click();
  await expect(page.getByRole("region", { name: `CRM sync (${receiver.url}/ok)` })).toContainText(
    "Succeeded",
  );
  await expect(page.getByRole("region", { name: `Callback 2 (${receiver.url}/ok-too)` })).toBeVisible();
});
