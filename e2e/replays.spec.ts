import type { APIRequestContext, Page } from "@playwright/test";
import { expect, type ReceivedWebhook, test } from "./fixtures";
import { createIngestKey } from "./pages/api-keys";
import { ProcessPage } from "./pages/process-page";

test.use({ role: "admin" });

function leadIdOf(webhook: ReceivedWebhook): unknown {
  return (webhook.json as { data?: { lead?: { id?: unknown } } } | null)?.data?.lead?.id;
}

/** A process with one callback at `url`, saved; its id. */
async function processWithCallback(page: Page, name: string, url: string) {
  const process = await ProcessPage.createNew(page, name);
  const processId = page.url().split("/").pop() ?? "";
  await process.expand();
  const cb = await process.addCallback();
  await cb.url.fill(url);
  await process.save();
  return { process, processId, cb };
}

async function postEvent(
  request: APIRequestContext,
  key: string,
  event: { id: string; type: string; processId: string; lead: Record<string, unknown> },
) {
  const accepted = await request.post("/api/events", {
    headers: { authorization: `Bearer ${key}` },
    data: {
      occurredAt: new Date().toISOString(),
      ...(event.type === "call.completed"
        ? { activity: { type: "call", callId: `call_${event.id}`, outcome: "answered", durationSec: 30 } }
        : {}),
      ...event,
    },
  });
  expect(accepted.status(), await accepted.text()).toBe(202);
}

test("switching a turned-off callback back on offers a replay of what it failed and missed", async ({
  page,
  request,
  receiver,
}) => {
  const key = await createIngestKey(page, "replays");
  // The endpoint is gone at first: the first event's delivery fails, and leadhook turns the callback off.
  let gone = true;
  receiver.respondWith(() => ({ status: gone ? 410 : 200 }));
  const run = Date.now();
  const { process, processId } = await processWithCallback(
    page,
    "Replay Offer Check",
    `${receiver.url}/hook`,
  );
  await postEvent(request, key, {
    id: `evt_offer_a_${run}`,
    type: "call.completed",
    processId,
    lead: { id: `lead_offer_a_${run}`, status: "Interested" },
  });
  const refused = await receiver.waitFor((w) => leadIdOf(w) === `lead_offer_a_${run}`);
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("region", { name: "Callbacks turned off automatically" })).toBeVisible({
      timeout: 1_000,
    });
  }).toPass({ timeout: 20_000 });
  // Sent while the callback is off: no delivery at all.
  await postEvent(request, key, {
    id: `evt_offer_b_${run}`,
    type: "lead.status_changed",
    processId,
    lead: { id: `lead_offer_b_${run}`, status: "No Answer" },
  });

  // Fixed, switched back on and saved: the page offers the replay.
  gone = false;
  receiver.clear();
  await process.expand();
  const block = await process.openCallback(1);
  await block.root.getByRole("switch", { name: "Enabled" }).click();
  await process.save();
  const offer = page.getByRole("region", { name: "Replay what was missed" });
  await expect(offer).toContainText("Callback 1 is on again.");
  await offer.getByRole("link", { name: "Replay failed deliveries of Callback 1" }).click();

  await expect(page).toHaveURL(new RegExp(`/processes/${processId}/replays\\?callback=[0-9a-f-]{36}&from=`));
  await expect(page.getByRole("heading", { level: 1, name: "Replays · Replay Offer Check" })).toBeVisible();
  const form = page.getByRole("region", { name: "Replay deliveries" });
  await expect(form.getByLabel("Callback")).toHaveValue(/^[0-9a-f-]{36}$/);
  await form.getByRole("button", { name: "Preview" }).click();
  await expect(form.getByRole("status")).toHaveText(
    "2 deliveries: 1 sent again, 1 for the first time (missed while a callback was off).",
  );
  await form.getByRole("button", { name: "Start replay" }).click();
  await expect(form.getByRole("status")).toHaveText("Replay started: 2 deliveries to send.");

  const replay = page.getByRole("listitem").filter({ hasText: "Started" }).first();
  await expect(replay.getByText("Finished")).toBeVisible({ timeout: 20_000 });
  await expect(replay.getByTestId("replay-progress")).toContainText("Queued 2 of 2 · 2 succeeded · 0 failed");
  // The failed delivery went again with its webhook-id; the missed event went for the first time.
  const again = await receiver.waitFor((w) => leadIdOf(w) === `lead_offer_a_${run}`);
  expect(again.headers["webhook-id"]).toBe(refused.headers["webhook-id"]);
  await receiver.waitFor((w) => leadIdOf(w) === `lead_offer_b_${run}`);
  expect(receiver.received).toHaveLength(2);

  // The audit log says who replayed what.
  await page.goto("/settings/audit-log?action=replay.started");
  await expect(page.getByRole("table")).toContainText("Callback 1");
});

test("a process-wide replay sends only the events its filters match, again, with the same webhook-ids", async ({
  page,
  request,
  receiver,
}) => {
  const key = await createIngestKey(page, "replays");
  const run = Date.now();
  const { processId } = await processWithCallback(page, "Replay Filter Check", `${receiver.url}/all`);
  const leads = [
    { type: "lead.status_changed", status: "Interested" },
    { type: "lead.status_changed", status: "No Answer" },
    { type: "call.completed", status: "Interested" },
  ].map((e, i) => ({ ...e, leadId: `lead_filter_${i}_${run}` }));
  for (const [i, lead] of leads.entries()) {
    await postEvent(request, key, {
      id: `evt_filter_${i}_${run}`,
      type: lead.type,
      processId,
      lead: { id: lead.leadId, status: lead.status },
    });
  }
  const first = await Promise.all(leads.map((l) => receiver.waitFor((w) => leadIdOf(w) === l.leadId)));
  receiver.clear();

  await page.goto(`/processes/${processId}/replays`);
  const form = page.getByRole("region", { name: "Replay deliveries" });
  // Nothing failed: the default (failed deliveries) matches nothing.
  await form.getByRole("button", { name: "Start replay" }).click();
  await expect(form.getByRole("alert")).toHaveText(
    "Nothing matches these filters, so there is nothing to replay.",
  );

  await form.getByLabel("Every one, including those that succeeded").check();
  await form.getByLabel("lead.status_changed").check();
  await form.getByLabel("Lead status").fill("Interested");
  await form.getByRole("button", { name: "Preview" }).click();
  await expect(form.getByRole("status")).toHaveText("1 delivery: 1 sent again.");
  await form.getByRole("button", { name: "Start replay" }).click();
  await expect(form.getByRole("status")).toHaveText("Replay started: 1 delivery to send.");
  const replay = page.getByRole("listitem").filter({ hasText: "Started" }).first();
  await expect(replay).toContainText("types lead.status_changed · lead status Interested");
  await expect(replay.getByText("Finished")).toBeVisible({ timeout: 20_000 });

  const again = await receiver.waitFor((w) => leadIdOf(w) === leads[0]?.leadId);
  expect(again.headers["webhook-id"]).toBe(first[0]?.headers["webhook-id"]);
  expect(receiver.received).toHaveLength(1);

  // A bad range is a field message, and changes nothing.
  await form.getByLabel("To (UTC)").fill("2020-01-01T00:00");
  await form.getByRole("button", { name: "Start replay" }).click();
  await expect(form.getByText("To must be after From")).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Started" })).toHaveCount(1);
});

test("cancelling a replay stops what it has not sent yet", async ({ page, request, receiver }) => {
  const key = await createIngestKey(page, "replays");
  const run = Date.now();
  const { processId } = await processWithCallback(page, "Replay Cancel Check", `${receiver.url}/slow`);
  const count = 15;
  for (let i = 0; i < count; i++) {
    await postEvent(request, key, {
      id: `evt_cancel_${i}_${run}`,
      type: "call.completed",
      processId,
      lead: { id: `lead_cancel_${i}_${run}`, status: "Interested" },
    });
  }
  await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(count);
  receiver.clear();

  // The receiver now holds every request until released: at most 10 (DELIVERY_CONCURRENCY) are in flight.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  receiver.respondWith(async () => {
    await held;
    return { status: 200 };
  });

  await page.goto(`/processes/${processId}/replays`);
  const form = page.getByRole("region", { name: "Replay deliveries" });
  await form.getByLabel("Every one, including those that succeeded").check();
  await form.getByRole("button", { name: "Start replay" }).click();
  await expect(form.getByRole("status")).toHaveText(`Replay started: ${count} deliveries to send.`);
  await expect.poll(() => receiver.received.length).toBe(10);

  const replay = page.getByRole("listitem").filter({ hasText: "Started" }).first();
  await replay.getByRole("button", { name: "Cancel replay" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Cancel replay" }).click();
  await expect(replay.getByText("Cancelled")).toBeVisible();
  const inFlight = receiver.received.length;
  expect(inFlight).toBe(10);
  release();

  // The ones in flight finish; the rest are never sent, and say why. It ends once the attempts that were
  // in flight have had their time (the delivery timeout).
  await expect(replay.getByTestId("replay-progress")).toContainText(/ended/, { timeout: 40_000 });
  await expect(replay.getByTestId("replay-progress")).toContainText(
    `${inFlight} succeeded · ${count - inFlight} failed`,
  );
  expect(receiver.received).toHaveLength(inFlight);
  await page.goto(`/processes/${processId}/events?state=failing`);
  await page
    .getByRole("table", { name: "Received events, newest first" })
    .getByRole("link", { name: /evt_cancel_/ })
    .first()
    .click();
  await expect(page.getByText("Not sent: the replay that queued it was cancelled.")).toBeVisible();
});
