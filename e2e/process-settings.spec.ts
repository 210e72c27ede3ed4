import { expect, test } from "./fixtures";
import { ProcessPage } from "./pages/process-page";

test.use({ role: "admin" });

test("an admin adds, saves, reloads and removes Lead Update Callbacks", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/processes$/);
  const process = await ProcessPage.openFromList(page, "OutReach Plan (hinglish)");

  await expect(process.advancedSettings).toHaveAttribute("aria-expanded", "false");
  await expect(process.addCallbackButton).toBeHidden();
  await expect(process.status).toHaveText("No callbacks");
  await process.expand();
  await expect(page.getByRole("heading", { name: "Lead Update Callbacks" })).toBeVisible();

  const first = await process.addCallback();
  await first.name.fill("CRM sync");
  await first.url.fill("crm.example.com/leadhook");
  await first.url.blur();
  await expect(process.status).toHaveText(/^Errors/);
  await expect(first.root.getByText("Enter a valid URL")).toBeVisible();
  await expect(first.url).toHaveAttribute("aria-invalid", "true");
  await first.url.fill("https://crm.example.com/leadhook");
  await expect(process.status).toHaveText("OK");

  // The empty Token is not marked before anything could be typed in it.
  await first.auth("Bearer Token").check();
  await expect(process.status).toHaveText("OK");
  await first.token.fill("tok_live_12345678");
  await expect(process.status).toHaveText("OK");

  const second = await process.addCallback();
  await second.url.fill("http://hooks.example.org/lead");
  await expect(second.root.getByText("HTTPS recommended")).toBeVisible();
  await second.root.getByRole("radio", { name: /^Full Lead/ }).check();
  await second.auth("Custom Auth Header").check();
  await second.authKey.fill("X-API-Key");
  await second.authValue.fill("api-key-9876");
  await second.root.getByLabel("Requires source to be whitelisted").check();
  await expect(second.root.getByText("203.0.113.10, 203.0.113.11")).toBeVisible();
  await expect(process.status).toHaveText("OK");
  await expect(page.getByText("Unsaved changes")).toBeVisible();

  await process.save();
  await expect(page.getByText("Unsaved changes")).toBeHidden();

  await page.reload();
  await expect(process.advancedSettings).toHaveAttribute("aria-expanded", "false");
  await expect(process.status).toHaveText("OK");
  await process.expand();
  await expect(process.callback(1).url).toHaveValue("https://crm.example.com/leadhook");
  await expect(process.callback(1).title).toHaveText("CRM sync");
  await expect(process.callback(2).title).toHaveText("Callback 2");
  await expect(process.callback(1).auth("Bearer Token")).toBeChecked();
  await expect(process.callback(1).token).toHaveValue("");
  await expect(process.callback(1).root.getByText("Stored token ••••5678")).toBeVisible();
  await expect(process.callback(2).url).toHaveValue("http://hooks.example.org/lead");
  await expect(process.callback(2).root.getByRole("radio", { name: /^Full Lead/ })).toBeChecked();
  await expect(process.callback(2).authKey).toHaveValue("X-API-Key");
  await expect(process.callback(2).root.getByText("Stored value ••••9876")).toBeVisible();
  await expect(process.callback(2).root.getByLabel("Requires source to be whitelisted")).toBeChecked();
  const html = await page.content();
  expect(html).not.toContain("tok_live_12345678");
  expect(html).not.toContain("api-key-9876");

  const secret = process.callback(1).root.getByTestId("signing-secret");
  await expect(secret).toHaveText(/^whsec_••••.{4}$/);
  await process.callback(1).root.getByRole("button", { name: "Reveal" }).click();
  await expect(secret).toHaveText(/^whsec_[A-Za-z0-9+/]{43}=$/);
  await process.callback(1).root.getByRole("button", { name: "Hide" }).click();

  // The README's screenshot, refreshed on request (`npm run screenshots`) so a test run changes no file.
  if (globalThis.process.env.UPDATE_SCREENSHOTS === "1") {
    // The whole page from its top (header, process details, both callbacks) in one window as tall as the
    // page, so the sticky Save bar sits at its foot.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: 1280, height });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: "docs/process-settings.png" });
    await page.setViewportSize({ width: 1280, height: 720 });
  }

  await page.goto("/processes");
  await expect(page.getByRole("row", { name: /OutReach Plan \(hinglish\)/ })).toContainText(
    "2 callbacks · OK",
  );
  await page.getByRole("link", { name: "OutReach Plan (hinglish)" }).click();

  await process.expand();
  const rotatedFrom = await process.callback(2).root.getByTestId("signing-secret").textContent();
  await process.callback(2).root.getByRole("button", { name: "Rotate" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Rotate secret" }).click();
  await expect(process.callback(2).root.getByText("Signing secret rotated.")).toBeVisible();
  await expect(process.callback(2).root.getByTestId("signing-secret")).not.toHaveText(rotatedFrom ?? "");
  await process.callback(2).root.getByRole("switch", { name: "Enabled" }).click();
  await process.callback(1).remove();
  await expect(process.callback(2).root).toBeHidden();
  await expect(process.callback(1).url).toHaveValue("http://hooks.example.org/lead");
  await process.save();
  await page.reload();
  await process.expand();
  await expect(page.getByRole("group", { name: /^Callback \d+$/ })).toHaveCount(1);
  await expect(process.callback(1).url).toHaveValue("http://hooks.example.org/lead");
  await expect(process.callback(1).root.getByText("Stored value ••••9876")).toBeVisible();
  await expect(process.callback(1).root.getByRole("switch", { name: "Enabled" })).toHaveAttribute(
    "aria-checked",
    "false",
  );
});

test("saving is refused while errors stand, and focus moves to the first one", async ({ page }) => {
  const process = await ProcessPage.createNew(page, "Refused Save Check");
  await process.expand();
  const cb = await process.addCallback();
  await cb.auth("Custom Auth Header").check();
  await cb.url.fill("https://hooks.example.com/x");
  await cb.authKey.fill("Content-Type");
  await process.advancedSettings.click();
  await expect(process.advancedSettings).toHaveAttribute("aria-expanded", "false");
  await expect(process.status).toHaveText(/^Errors/);

  await process.saveButton.click();
  await expect(process.formAlert).toHaveText("Fix the errors below before saving.");
  await expect(process.advancedSettings).toHaveAttribute("aria-expanded", "true");
  await expect(cb.authKey).toBeFocused();
  await expect(cb.root.getByText("Content-Type is set by leadhook and cannot be used")).toBeVisible();
  await expect(cb.root.getByText("Auth Value is required")).toBeVisible();

  await page.reload();
  await process.expand();
  await expect(page.getByRole("group", { name: /^Callback \d+$/ })).toHaveCount(0);
});

test("a URL that points to a private address is refused", async ({ page }) => {
  const process = await ProcessPage.createNew(page, "Private Address Check");
  await process.expand();
  const cb = await process.addCallback();
  for (const [url, reason] of [
    ["http://10.0.0.5/hook", "a private network address"],
    ["http://169.254.169.254/latest/meta-data", "a link-local address"],
    ["http://2130706433/", "a loopback address"],
    ["http://localhost:8080/hook", "a loopback address"],
  ] as const) {
    await cb.url.fill(url);
    await cb.url.blur();
    await expect(cb.root.getByText(`This URL points to ${reason}`)).toBeVisible();
    await expect(cb.root.getByText(`This URL points to ${reason}`)).toContainText(
      "run leadhook with ALLOW_PRIVATE_CALLBACK_URLS=true",
    );
    await expect(process.status).toHaveText(/^Errors/);
  }
  await process.saveButton.click();
  await expect(cb.url).toBeFocused();
  await page.reload();
  await process.expand();
  await expect(page.getByRole("group", { name: /^Callback \d+$/ })).toHaveCount(0);
});

test("a save from a stale tab is refused with a clear message, never overwriting", async ({
  browser,
  storageState,
}) => {
  const context = await browser.newContext({ storageState });
  const tabA = await context.newPage();
  const a = await ProcessPage.createNew(tabA, "Two Tabs Check");
  const tabB = await context.newPage();
  await tabB.goto(tabA.url());
  const b = new ProcessPage(tabB);

  await tabA.getByLabel("Description").fill("Saved from tab A");
  await a.save();

  await b.expand();
  const cb = await b.addCallback();
  await cb.url.fill("https://hooks.example.com/from-b");
  await b.saveButton.click();
  await expect(b.formAlert).toContainText("changed elsewhere");

  await tabB.getByRole("button", { name: "Reload" }).click();
  await expect(tabB.getByLabel("Description")).toHaveValue("Saved from tab A");
  await b.expand();
  await expect(tabB.getByRole("group", { name: /^Callback \d+$/ })).toHaveCount(0);
  await context.close();
});

test("the Processes page searches by name and a missing process is a proper 404", async ({ page }) => {
  await page.goto("/processes");
  await page.getByLabel("Search processes").fill("loan");
  await expect(page.getByRole("link", { name: "Loan Renewal Reminders" })).toBeVisible();
  await expect(page.getByRole("link", { name: "OutReach Plan (hinglish)" })).toBeHidden();
  await page.getByLabel("Search processes").fill("no such process");
  await expect(page.getByText("No process matches")).toBeVisible();

  await page.goto("/processes");
  await page.getByRole("button", { name: "New Process" }).click();
  await expect(page.getByText("Name is required")).toBeVisible();

  const response = await page.goto("/processes/00000000-0000-4000-8000-000000000000");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Process not found" })).toBeVisible();
  expect((await page.goto("/processes/not-a-uuid"))?.status()).toBe(404);
});

test("Advanced Settings opens and closes from the keyboard", async ({ page }) => {
  const process = await ProcessPage.openFromList(page, "Loan Renewal Reminders");
  await process.advancedSettings.focus();
  await page.keyboard.press("Enter");
  await expect(process.advancedSettings).toHaveAttribute("aria-expanded", "true");
  await expect(process.callback(1).url).toHaveValue("https://crm.example.com/api/lead-callback");
  await page.keyboard.press("Space");
  await expect(process.advancedSettings).toHaveAttribute("aria-expanded", "false");
});

test("a callback carries a name: saved, reloaded, shown as its heading, unique within the process", async ({
  page,
}) => {
  const process = await ProcessPage.createNew(page, "Callback Name Check");
  await process.expand();
  const first = await process.addCallback();
  await first.url.fill("https://crm.example.com/leadhook");
  await expect(first.title).toHaveText("Callback 1");
  await first.name.fill("  CRM sync ");
  await expect(first.title).toHaveText("CRM sync");
  await expect(page.getByText("Unsaved changes")).toBeVisible();

  // A second callback may not take the same name, in any case.
  const second = await process.addCallback();
  await second.url.fill("https://ops.example.com/leadhook");
  await second.name.fill("crm SYNC");
  const duplicate = second.root.getByText("Another callback of this process already has this name");
  await expect(duplicate).toBeVisible();
  await expect(second.name).toHaveAttribute("aria-invalid", "true");
  await expect(process.status).toHaveText(/^Errors/);
  await process.saveButton.click();
  await expect(process.formAlert).toHaveText("Fix the errors below before saving.");
  await expect(second.name).toBeFocused();

  // Too long is refused with the field's own message.
  await second.name.fill("n".repeat(61));
  await expect(second.root.getByText("Name must be at most 60 characters")).toBeVisible();
  await second.name.fill("");
  await expect(duplicate).toBeHidden();
  await expect(second.title).toHaveText("Callback 2");
  await process.save();
  await expect(page.getByText("Unsaved changes")).toBeHidden();

  await page.reload();
  await process.expand();
  const crm = process.callbackNamed("CRM sync");
  await expect(crm.title).toHaveText("CRM sync");
  await expect(crm.name).toHaveValue("CRM sync");
  await expect(crm.url).toHaveValue("https://crm.example.com/leadhook");
  await expect(crm.toggle).toHaveAccessibleName(/^CRM sync: /);
  await expect(process.callback(2).title).toHaveText("Callback 2");
  await expect(process.callback(2).name).toHaveValue("");

  // Editing the name is a change to save (the heading follows it), and undoing it is none.
  const block = process.callback(1);
  await block.name.fill("CRM sync (EU)");
  await expect(block.title).toHaveText("CRM sync (EU)");
  await expect(page.getByText("Unsaved changes")).toBeVisible();
  await block.name.fill("CRM sync");
  await expect(page.getByText("Unsaved changes")).toBeHidden();
  await expect(process.saveButton).toBeDisabled();
});

test("at 390 px the Enabled toggle never covers a callback's title, named or not", async ({ page }) => {
  const longName = "Salesforce lead sync for the Hinglish outreach team (EU)";
  const process = await ProcessPage.createNew(page, "Narrow Callback Heading");
  await process.expand();
  const unnamed = await process.addCallback();
  await unnamed.url.fill("https://crm.example.com/one");
  const named = await process.addCallback();
  await named.url.fill("https://crm.example.com/two");
  await named.name.fill(longName);
  await process.save();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await process.expand();

  const apart = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
    a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
  for (const block of [process.callback(1), process.callback(2)]) {
    for (const expanded of [true, false]) {
      if (expanded) await block.expand();
      else await block.collapse();
      const title = await block.title.boundingBox();
      const toggle = await block.enabled.boundingBox();
      const label = await block.root.getByText("Enabled", { exact: true }).boundingBox();
      const remove = await block.root.getByRole("button", { name: "Remove" }).first().boundingBox();
      const frame = await block.root.boundingBox();
      expect(title && toggle && label && remove && frame).toBeTruthy();
      if (!title || !toggle || !label || !remove || !frame) continue;
      const which = `${await block.title.textContent()} (${expanded ? "expanded" : "collapsed"})`;
      expect(apart(title, toggle), `${which}: title and toggle`).toBe(true);
      expect(apart(title, label), `${which}: title and "Enabled"`).toBe(true);
      expect(apart(title, remove), `${which}: title and Remove`).toBe(true);
      expect(title.x + title.width <= frame.x + frame.width, `${which}: title inside its block`).toBe(true);
    }
  }
  // The long name is cut with an ellipsis, and given whole in the title attribute.
  const title = process.callback(2).title;
  await expect(title).toHaveAttribute("title", longName);
  expect(await title.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBeLessThanOrEqual(0);
});
