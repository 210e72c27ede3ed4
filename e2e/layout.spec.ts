import type { APIRequestContext, Locator, Page } from "@playwright/test";
import { expect, type Receiver, test } from "./fixtures";
import { createIngestKey } from "./pages/api-keys";
import { ProcessPage } from "./pages/process-page";

// The owner: the only role that sees Members' role selects, and one that reads the Audit log.
test.use({ role: "owner" });

const PHONE = { width: 390, height: 844 };

/** A process with one callback to `receiver` and one event delivered to it, as a producer sends it. */
async function deliveredEvent(page: Page, request: APIRequestContext, receiver: Receiver, name: string) {
  const key = await createIngestKey(page, name);
  const process = await ProcessPage.createNew(page, name);
  const processId = page.url().split("/").pop() ?? "";
  await process.expand();
  const cb = await process.addCallback();
  await cb.url.fill(`${receiver.url}/ok`);
  await process.save();
  const run = Date.now();
  const event = {
    id: `evt_layout_${run}`,
    type: "lead.disposition_marked",
    processId,
    occurredAt: new Date().toISOString(),
    lead: {
      id: `lead_layout_${run}`,
      name: "Priyanka Chaturvedi-Raghunathan",
      phone: "+919812345678",
      status: "Callback Requested",
      disposition: "Callback Requested Tomorrow Evening",
    },
  };
  const accepted = await request.post("/api/events", {
    headers: { authorization: `Bearer ${key}` },
    data: event,
  });
  expect(accepted.status()).toBe(202);
  await receiver.waitFor((w) => w.rawBody.includes(event.lead.id));
  // The receiver has it; the delivery is recorded as Succeeded a moment later.
  await expect(async () => {
    await page.goto(`/processes/${processId}/events`);
    await expect(page.getByText("Callback 1: Succeeded").first()).toBeAttached({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  return { processId, event };
}

/** How far the page scrolls sideways (0: not at all). */
function pageOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Each table's caption and how far it sticks out of its box (0 when it fits). */
function tableOverflows(page: Page): Promise<{ caption: string; overflow: number }[]> {
  return page.locator("table").evaluateAll((tables) =>
    tables.map((table) => ({
      caption: table.querySelector("caption")?.textContent ?? "",
      overflow: Math.max(0, table.scrollWidth - (table.parentElement?.clientWidth ?? 0)),
    })),
  );
}

/**
 * That `locator` is whole on the screen horizontally: inside the window and not cut off by a box that
 * scrolls or clips (which is where a table's last column used to hide).
 */
async function expectWhole(locator: Locator, what: string) {
  const cut = await locator.evaluate((element) => {
    const rect = element.getBoundingClientRect();
    if (rect.left < 0 || rect.right > document.documentElement.clientWidth + 0.5) return "outside the window";
    for (let box = element.parentElement; box; box = box.parentElement) {
      if (getComputedStyle(box).overflowX === "visible") continue;
      const edges = box.getBoundingClientRect();
      if (rect.left < edges.left - 0.5 || rect.right > edges.right + 0.5)
        return `cut off by <${box.tagName.toLowerCase()} class="${box.className}">`;
    }
    return null;
  });
  expect(cut, what).toBeNull();
}

async function expectNothingCut(page: Page, where: string) {
  expect(await pageOverflow(page), `${where}: the page scrolls sideways`).toBe(0);
  for (const { caption, overflow } of await tableOverflows(page))
    expect(overflow, `${where}: "${caption}" is wider than its box`).toBe(0);
}

test("at 1280 and 1440 px every table fits its box with its last column, and the page never scrolls sideways", async ({
  page,
  request,
  receiver,
}) => {
  const { processId, event } = await deliveredEvent(page, request, receiver, "Layout Wide Check");
  const eventsPath = `/processes/${processId}/events`;
  const lists = [
    { path: "/events", table: "Received events, newest first", last: "Deliveries" },
    { path: eventsPath, table: "Received events, newest first", last: "Deliveries" },
    { path: "/settings/audit-log", table: "Audit log entries, newest first", last: "Address" },
    { path: "/settings/members", table: "Members", last: "Joined" },
    { path: "/settings/api-keys", table: "Ingest keys", last: "Status" },
  ];
  for (const width of [1280, 1440]) {
    await page.setViewportSize({ width, height: 900 });
    for (const list of lists) {
      await page.goto(list.path);
      const table = page.getByRole("table", { name: list.table });
      await expect(table.getByRole("row").nth(1)).toBeVisible();
      await expectNothingCut(page, `${list.path} at ${width}`);
      await expectWhole(
        table.getByRole("columnheader", { name: list.last }),
        `${list.path} at ${width}: ${list.last}`,
      );
    }
    // The event's delivery badge is on screen, whole, not cut off at the box's edge.
    await page.goto(eventsPath);
    const row = page.getByRole("row").filter({ hasText: event.id });
    await expectWhole(row.getByText("Callback 1: Succeeded"), `the delivery badge at ${width}`);

    // The lead filter's placeholder fits its input: typed in as a value, it does not scroll the input.
    const lead = page.getByLabel("Lead id or phone");
    const [inner, needed] = await lead.evaluate((input: HTMLInputElement) => {
      input.value = input.placeholder;
      const sizes: [number, number] = [input.clientWidth, input.scrollWidth];
      input.value = "";
      return sizes;
    });
    expect(needed, `at ${width} the placeholder needs ${needed} px in ${inner}`).toBeLessThanOrEqual(inner);

    // The process page's delivery list, under its callback.
    await page.goto(`/processes/${processId}`);
    await new ProcessPage(page).expand();
    await expect(
      page
        .getByRole("table", { name: /Recent deliveries/ })
        .getByRole("row")
        .nth(1),
    ).toBeVisible();
    await expectNothingCut(page, `the process page at ${width}`);
  }
});

test("at 390 px events are cards with their key fields, and no list scrolls sideways", async ({
  page,
  request,
  receiver,
}) => {
  const { processId, event } = await deliveredEvent(page, request, receiver, "Layout Phone Check");
  await page.setViewportSize(PHONE);

  for (const path of ["/events", `/processes/${processId}/events`]) {
    await page.goto(path);
    const card = page
      .getByRole("table", { name: "Received events, newest first" })
      .getByRole("row")
      .filter({ hasText: event.id });
    await expect(card).toBeVisible();
    await expectNothingCut(page, `${path} at 390`);
    // Received time, lead, event type and delivery, each whole on the screen.
    for (const field of [
      card.locator("time"),
      card.getByText(event.lead.id),
      card.getByText(event.lead.phone),
      card.getByRole("link", { name: new RegExp(event.type) }),
      card.getByText("Callback 1: Succeeded"),
    ])
      await expectWhole(field, `${path} at 390: ${field}`);
    await expect(card.locator("time")).toHaveText(/^\w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M UTC$/);
  }

  for (const path of [
    "/settings/audit-log",
    "/settings/api-keys",
    `/processes/${processId}/replays`,
    "/processes",
  ]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNothingCut(page, `${path} at 390`);
  }
  // Audit log and API keys: each card's values stay on the screen.
  await page.goto("/settings/audit-log");
  const entry = page.getByRole("table", { name: "Audit log entries, newest first" }).getByRole("row").nth(1);
  await expectWhole(entry.locator("td").last(), "the audit entry's address at 390");
  await page.goto("/settings/api-keys");
  const key = page.getByRole("table", { name: "Ingest keys" }).getByRole("row").nth(1);
  await expectWhole(key.getByText("Active"), "the key's status at 390");
});

test("at 390 px Members is usable: the role select keeps its width and every value is on screen", async ({
  page,
}) => {
  await page.setViewportSize(PHONE);
  await page.goto("/settings/members");
  const select = page.getByLabel("Role for E2E admin");
  await expect(select).toBeVisible();
  const box = await select.boundingBox();
  expect(box?.width ?? 0).toBeGreaterThanOrEqual(100);
  await expectWhole(select, "the role select at 390");
  await expectNothingCut(page, "/settings/members at 390");
  const row = page
    .getByRole("table", { name: "Members" })
    .getByRole("row")
    .filter({ hasText: "admin@e2e.test" });
  for (const field of [
    row.getByText("admin@e2e.test"),
    row.getByRole("button", { name: "Remove E2E admin" }),
  ])
    await expectWhole(field, `Members at 390: ${field}`);
});

test("at 390 px the header is one line with a Menu that opens the sections and closes after navigating", async ({
  page,
}) => {
  await page.setViewportSize(PHONE);
  await page.goto("/processes");
  const header = page.locator("header");
  expect((await header.boundingBox())?.height ?? 0).toBeLessThan(80);
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeHidden();

  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  const panelId = await menu.getAttribute("aria-controls");
  expect(panelId).toBeTruthy();
  const panel = page.locator(`[id="${panelId}"]`);
  await expect(panel).toBeVisible();
  const nav = panel.getByRole("navigation", { name: "Main" });
  for (const name of ["Processes", "Events", "API Keys", "Members", "Audit log"])
    await expectWhole(nav.getByRole("link", { name }), `the menu's ${name}`);
  await expect(panel.getByLabel("Workspace")).toBeVisible();
  await expect(panel.getByRole("link", { name: /E2E owner/ })).toBeVisible();
  await expect(panel.getByRole("button", { name: "Sign out" })).toBeVisible();
  expect(await pageOverflow(page)).toBe(0);

  // A link navigates and closes the menu.
  await nav.getByRole("link", { name: "Members" }).click();
  await expect(page).toHaveURL(/\/settings\/members$/);
  await expect(page.getByRole("heading", { level: 1, name: "Members" })).toBeVisible();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(panel).toBeHidden();

  // With the keyboard: Enter opens it on its first section, Escape closes it, Tab and Enter follow a link.
  await menu.focus();
  await page.keyboard.press("Enter");
  await expect(nav.getByRole("link", { name: "Processes" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(nav.getByRole("link", { name: "Processes" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(nav.getByRole("link", { name: "Events" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/events$/);
  await expect(menu).toHaveAttribute("aria-expanded", "false");

  // From 1024 px on, the one-line header as before, and no Menu.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(menu).toBeHidden();
  await expect(
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" }),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
});
