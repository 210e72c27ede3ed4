import { expect, test } from "./fixtures";
import { ProcessPage } from "./pages/process-page";

test.use({ role: "admin" });

// A stored Bearer Token is only ever sent to the origin it was saved for (issue 10, section 5).
test("moving a callback to another host asks for its stored token again; a new path does not", async ({
  page,
}) => {
  const process = await ProcessPage.createNew(page, "Origin Rule Check");
  await process.expand();
  const cb = await process.addCallback();
  await cb.url.fill("https://crm.example.com/leads");
  await cb.auth("Bearer Token").check();
  await cb.token.fill("tok_origin_rule_1234");
  await process.save();

  await page.reload();
  await process.expand();
  const stored = await process.openCallback(1);
  await expect(stored.root.getByText("Stored token ••••1234")).toBeVisible();

  // Another path on the same host keeps the stored token.
  await stored.url.fill("https://crm.example.com/leads/v2");
  await expect(stored.root.getByText("Stored token ••••1234")).toBeVisible();
  await expect(process.status).toHaveText("OK");

  // Another host: said while typing, and Save is refused.
  const moved = "The URL now points to a different host: enter the Bearer Token again";
  await stored.url.fill("https://attacker.example.net/collect");
  await expect(stored.root.getByText(moved)).toBeVisible();
  await process.saveButton.click();
  await expect(process.formAlert).toHaveText("Fix the errors below before saving.");
  await expect(stored.token).toHaveAttribute("aria-invalid", "true");

  await page.reload();
  await process.expand();
  await expect((await process.openCallback(1)).url).toHaveValue("https://crm.example.com/leads");

  // With the token entered again, the new host is saved with it.
  const again = await process.openCallback(1);
  await again.url.fill("https://hooks.example.org/collect");
  await again.token.fill("tok_new_host_5678");
  await process.save();
  await page.reload();
  await process.expand();
  await expect((await process.openCallback(1)).root.getByText("Stored token ••••5678")).toBeVisible();
});
