import type { Page } from "@playwright/test";

/** Creates an ingest key on the API Keys page, as an admin does, and returns it (shown once). */
export async function createIngestKey(page: Page, name: string): Promise<string> {
  await page.goto("/settings/api-keys");
  await page.getByLabel("Key name").fill(`${name} ${Date.now()}`);
  await page.getByRole("button", { name: "Create key" }).click();
  return (await page.getByTestId("new-api-key").textContent()) ?? "";
}
