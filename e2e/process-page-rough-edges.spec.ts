import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ProcessPage } from "./pages/process-page";

// Issue 10, section 6: the rough edges a new user found on the process page.
test.use({ role: "admin" });

/** The app's one date format: "Nov 24, 2026, 12:44 PM UTC". */
const DATE_TIME = /[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M UTC/;

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Saves a callback that requires whitelisting: without static egress its Send test fails at once. */
async function savedWhitelistedCallback(page: Page, name: string) {
  const process = await ProcessPage.createNew(page, name);
  await process.expand();
  const cb = await process.addCallback();
  await cb.url.fill("https://hooks.example.com/rough-edges/a-rather-long-path-for-a-narrow-screen");
  await cb.root.getByLabel("Requires source to be whitelisted").check();
  await process.save();
  return { process, cb };
}

async function sendTest(cb: { root: Locator }) {
  await cb.root.getByRole("button", { name: "Send test" }).click();
  await expect(cb.root.getByTestId("send-test-result")).toContainText("Test failed");
  return cb.root.getByRole("table", { name: /Recent deliveries/ });
}

test("the Errors badge counts exactly the problems the fields show", async ({ page }) => {
  const process = await ProcessPage.createNew(page, "Badge Agrees Check");
  await process.expand();
  // Nothing to call OK yet, and nothing to save.
  await expect(process.status).toHaveText("No callbacks");
  await expect(process.saveButton).toBeDisabled();
  await expect(page.getByTestId("nothing-to-save")).toHaveText("No changes to save");
  const first = await process.addCallback();
  await expect(process.saveButton).toBeEnabled();
  await expect(page.getByText("Unsaved changes")).toBeVisible();
  await expect(process.status).toHaveText("OK");
  await expect(first.url).not.toHaveAttribute("aria-invalid", "true");
  await expect(first.root.getByText("Enter the Lead Update URL")).toBeHidden();

  await first.url.fill("https://hooks.example.com/badge");
  // Choosing Bearer Token brings up an empty Token: nothing red before anything could be typed.
  await first.auth("Bearer Token").check();
  await expect(first.token).toBeVisible();
  await expect(process.status).toHaveText("OK");
  await expect(first.token).not.toHaveAttribute("aria-invalid", "true");
  await expect(first.root.getByText("Token is required")).toBeHidden();
  // A token that breaks a rule is marked as it is typed.
  await first.token.fill("tok with space");
  await expect(process.status).toHaveText("Errors (1)");
  await expect(first.token).toHaveAttribute("aria-invalid", "true");
  await first.token.fill("tok_badge_1234");
  await expect(process.status).toHaveText("OK");
  await expect(first.token).not.toHaveAttribute("aria-invalid", "true");

  const second = await process.addCallback();
  await expect(process.status).toHaveText("OK");
  await expect(second.root.getByText("Enter the Lead Update URL")).toBeHidden();

  await process.saveButton.click();
  await expect(process.formAlert).toHaveText("Fix the errors below before saving.");
  await expect(process.status).toHaveText("Errors (1)");
  await expect(second.url).toHaveAttribute("aria-invalid", "true");
  await expect(second.root.getByText("Enter the Lead Update URL")).toBeVisible();
  await expect(second.url).toBeFocused();

  // Once nothing is left to fix, the banner goes with the last error.
  await second.url.fill("https://hooks.example.com/badge-two");
  await expect(process.status).toHaveText("OK");
  await expect(process.formAlert).toHaveCount(0);
  await process.save();
  await expect(process.saveButton).toBeDisabled();
  await expect(page.getByText("Unsaved changes")).toHaveCount(0);
});

test("a URL with a space is refused while typing, as Save refuses it", async ({ page }) => {
  const process = await ProcessPage.createNew(page, "URL Space Check");
  await process.expand();
  const cb = await process.addCallback();
  await cb.url.fill("https://exa mple.com/x");
  await expect(process.status).toHaveText("Errors (1)");
  await expect(cb.url).toHaveAttribute("aria-invalid", "true");
  await expect(cb.root.getByText("The URL cannot contain spaces")).toBeVisible();

  // Chromium's own URL parser accepts this one (host "exa%20mple.com"); the shared rule does not.
  await cb.url.fill("https://exa%20mple.com/x");
  await expect(cb.root.getByText("The host name can only contain")).toBeVisible();
  await expect(process.status).toHaveText("Errors (1)");
  await process.saveButton.click();
  await expect(process.formAlert).toHaveText("Fix the errors below before saving.");
  await expect(cb.url).toBeFocused();
});

test("whitelisting without static egress warns while configuring, as the failed delivery does", async ({
  page,
}) => {
  // This server lists source IPs but has no egress proxy, so whitelisted deliveries cannot be sent.
  const process = await ProcessPage.createNew(page, "Egress Warning Check");
  await process.expand();
  const cb = await process.addCallback();
  await cb.url.fill("https://hooks.example.com/egress");
  const whitelisted = cb.root.getByLabel("Requires source to be whitelisted");
  await whitelisted.check();
  const note = cb.root.getByTestId("egress-note");
  await expect(note).toContainText("Deliveries to this callback will fail");
  await expect(note).toContainText("ask your administrator to set up static egress");
  await expect(note).not.toContainText(/[A-Z]{2,}_[A-Z_]+/);
  await expect(whitelisted).toHaveAccessibleDescription(/will fail/);
  await expect(page.getByTestId("advanced-settings-warning")).toHaveText("1 callback will fail");
  await expect(process.status).toHaveText("OK");
  await whitelisted.uncheck();
  await expect(page.getByTestId("advanced-settings-warning")).toHaveCount(0);
  await whitelisted.check();
  await process.save();

  const log = await sendTest(cb);
  const hint = cb.root.getByTestId("send-test-result").getByTestId("failure-hint").locator("p").first();
  await expect(hint).toContainText("ask your administrator to set up static egress");
  await expect(note).toContainText((await hint.textContent()) ?? "no hint");
  await expect(log.getByRole("row").nth(1)).toContainText("Failed");
});

test("at 390 px the process page and its delivery table do not scroll sideways", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const { cb } = await savedWhitelistedCallback(page, "Narrow Screen Check");
  const log = await sendTest(cb);
  await expect(log.getByRole("row").nth(1)).toContainText("Failed");
  expect(await horizontalOverflow(page)).toBe(0);

  await log
    .getByRole("button", { name: /View delivery/ })
    .first()
    .click();
  await expect(cb.root.getByTestId("delivery-detail")).toContainText("Attempt 1");
  await cb.root.getByTestId("delivery-detail").getByText("Request headers").click();
  expect(await horizontalOverflow(page)).toBe(0);
  // The controls stay inside the screen's width.
  const controls = [
    cb.root.getByRole("button", { name: "Send test" }),
    cb.root.getByRole("button", { name: "Close" }),
  ];
  for (const control of [...controls, page.getByRole("button", { name: "Save", exact: true })]) {
    const box = await control.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390, (await control.textContent()) ?? "").toBe(true);
  }

  await page.goto("/processes");
  await expect(page.getByRole("link", { name: "Narrow Screen Check" })).toBeVisible();
  expect(await horizontalOverflow(page)).toBe(0);
});

test("dates read the same everywhere, with the zone", async ({ page }) => {
  const { cb } = await savedWhitelistedCallback(page, "Date Format Check");
  const saved = page
    .locator("form")
    .getByRole("status")
    .filter({ hasText: /^Saved at/ });
  await expect(saved).toHaveText(new RegExp(`^Saved at ${DATE_TIME.source}\\.\\s*$`));
  const log = await sendTest(cb);
  await expect(log.getByRole("row").nth(1).locator("time")).toHaveText(new RegExp(`^${DATE_TIME.source}$`));

  await page.goto("/processes");
  const row = page.getByRole("row", { name: /Date Format Check/ });
  await expect(row.locator("time")).toHaveText(new RegExp(`^${DATE_TIME.source}$`));
  await expect(row.locator("time")).toHaveAttribute(
    "datetime",
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
  );
});

test("more than 3 stored callbacks collapse to one-line summaries and expand on demand", async ({ page }) => {
  const process = await ProcessPage.createNew(page, "Collapsed Callbacks Check");
  await process.expand();
  for (const n of [1, 2, 3, 4]) {
    const cb = await process.addCallback();
    await cb.url.fill(`https://hooks.example.com/collapse-${n}`);
  }
  await process.save();
  await page.reload();
  await process.expand();

  const second = process.callback(2);
  await expect(second.toggle).toHaveAttribute("aria-expanded", "false");
  await expect(second.toggle).toHaveAccessibleName(
    "Callback 2: https://hooks.example.com/collapse-2 · Activity Update · No authentication · Enabled",
  );
  await expect(second.url).toBeHidden();
  await expect(page.getByRole("group", { name: /^Callback \d+$/ })).toHaveCount(4);

  // Collapsed blocks keep their values and validation: an error in one is counted, and Save opens it.
  await (await process.openCallback(2)).url.fill("");
  await second.collapse();
  await expect(second.root.getByText("Errors (1)")).toBeVisible();
  await expect(process.status).toHaveText("Errors (1)");
  await process.saveButton.click();
  await expect(second.toggle).toHaveAttribute("aria-expanded", "true");
  await expect(second.url).toBeFocused();
  await second.url.fill("https://hooks.example.com/collapse-2b");
  await expect(process.status).toHaveText("OK");

  const fifth = await process.addCallback();
  await expect(fifth.toggle).toHaveAttribute("aria-expanded", "true");
  await expect(fifth.url).toBeVisible();
  await expect(process.callback(4).url).toBeHidden();
  await expect(process.callback(4).url).toHaveValue("https://hooks.example.com/collapse-4");
});
