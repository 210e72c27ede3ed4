import { expect, test } from "./fixtures";
import { ProcessPage } from "./pages/process-page";

test.use({ role: "admin" });

test("an ingest key is shown once, accepts events until it is revoked", async ({ page, request }) => {
  const process = await ProcessPage.createNew(page, "Ingest Key Check");
  const processId = page.url().split("/").pop() ?? "";
  await expect(page.getByTestId("delivery-status").getByText(/^Deliveries run on/)).toHaveText(
    "Deliveries run on the built-in queue in this server.",
  );
  // The default DELIVERY_RETRY_SCHEDULE.
  await expect(page.getByTestId("retry-schedule")).toHaveText(
    "Failed deliveries are retried 9 times over about 3 days, waiting 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 1 day between attempts (±10%). A 429 or 503 with Retry-After waits as long as it asks, up to 24 h.",
  );

  await page.getByRole("link", { name: "API Keys" }).click();
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByText("Name is required")).toBeVisible();
  await page.getByLabel("Key name").fill("dialer");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-api-key").textContent()) ?? "";
  expect(key).toMatch(/^lh_[A-Za-z0-9_-]{38}$/);
  const row = page.getByRole("row", { name: /dialer/ });
  await expect(row).toContainText("Active");
  await expect(row).toContainText(key.slice(0, 9));
  await expect(row).not.toContainText(key);

  const event = {
    id: `evt_e2e_${Date.now()}`,
    type: "lead.status_changed",
    processId,
    occurredAt: new Date().toISOString(),
    lead: { id: "lead_e2e", name: "Asha Verma", phone: "+919812345678", status: "Interested" },
  };
  const accepted = await request.post("/api/events", {
    headers: { authorization: `Bearer ${key}` },
    data: event,
  });
  expect(accepted.status()).toBe(202);
  expect(await accepted.json()).toEqual({ accepted: [event.id], duplicates: [] });
  const again = await request.post("/api/events", {
    headers: { authorization: `Bearer ${key}` },
    data: event,
  });
  expect(await again.json()).toEqual({ accepted: [], duplicates: [event.id] });

  // The built-in queue took the event at once: nothing waits, nothing to warn about.
  await page.goto(`/processes/${processId}`);
  await expect(process.page.getByTestId("delivery-status")).toBeVisible();
  await expect(process.page.getByTestId("delivery-status").getByRole("alert")).toHaveCount(0);

  await page.goto("/settings/api-keys");
  await page.getByRole("button", { name: "Revoke dialer" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByRole("row", { name: /dialer/ })).toContainText("Revoked");
  const refused = await request.post("/api/events", {
    headers: { authorization: `Bearer ${key}` },
    data: { ...event, id: `${event.id}_2` },
  });
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toMatchObject({ error: { code: "unauthorized" } });

  const contract = await request.get("/api/openapi.json");
  expect((await contract.json()).paths["/api/events"].post.operationId).toBe("ingestEvents");
});
