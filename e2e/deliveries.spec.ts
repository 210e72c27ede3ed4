import { Webhook } from "standardwebhooks";
import { expect, test } from "./fixtures";
import { createIngestKey } from "./pages/api-keys";
import { ProcessPage } from "./pages/process-page";

test.use({ role: "admin" });

test("Send test delivers a signed, authenticated request and the log shows the 200", async ({
  page,
  receiver,
}) => {
  const process = await ProcessPage.createNew(page, "Send Test Check");
  await process.expand();
  const cb = await process.addCallback();
  await cb.url.fill(`${receiver.url}/leadhook`);
  await cb.auth("Bearer Token").check();
  await cb.token.fill("tok_e2e_secret_1234");
  await process.save();

  await cb.root.getByRole("button", { name: "Reveal" }).click();
  await expect(cb.root.getByTestId("signing-secret")).toHaveText(/^whsec_[A-Za-z0-9+/]{43}=$/);
  const secret = (await cb.root.getByTestId("signing-secret").textContent()) ?? "";
  receiver.setSecret(secret);
  receiver.setAuth({ bearerToken: "tok_e2e_secret_1234" });
  await expect(cb.root.getByTestId("callback-health")).toHaveText("24 h: no deliveries");

  await cb.root.getByRole("button", { name: "Send test" }).click();
  const webhook = await receiver.waitFor();
  expect(webhook.signatureValid).toBe(true);
  expect(webhook.authValid).toBe(true);
  expect(webhook.path).toBe("/leadhook");
  expect(webhook.json).toMatchObject({
    type: "call.completed",
    data: { process: { name: "Send Test Check" } },
  });

  await expect(cb.root.getByTestId("send-test-result")).toContainText("Test delivered: HTTP 200");
  const log = cb.root.getByRole("table", { name: /Recent deliveries/ });
  await expect(log.getByRole("row").nth(1)).toContainText("Succeeded");
  await expect(log.getByRole("row").nth(1)).toContainText("200");
  await expect(log.getByRole("row").nth(1)).toContainText(/\d+ ms/);
  await expect(cb.root.getByText(/100% of 1 delivery succeeded in the last 24 hours/)).toBeVisible();
  // The block's health line refreshes with the list under it, without reloading the page.
  await expect(cb.root.getByTestId("callback-health")).toContainText("24 h: 100% of 1 delivery succeeded");

  await log
    .getByRole("button", { name: /View delivery/ })
    .first()
    .click();
  const detail = cb.root.getByTestId("delivery-detail");
  await expect(detail).toContainText("Attempt 1: HTTP 200");
  await detail.getByText("Request headers").click();
  await expect(detail).toContainText("authorization: Bearer [redacted]");
  await expect(detail).not.toContainText("tok_e2e_secret_1234");

  // Redeliver runs on the built-in queue: the receiver gets the same webhook-id again.
  receiver.clear();
  await detail.getByRole("button", { name: "Redeliver" }).click();
  await expect(cb.root.getByText("Queued for redelivery with the same webhook-id.")).toBeVisible();
  const again = await receiver.waitFor();
  expect(again.headers["webhook-id"]).toBe(webhook.headers["webhook-id"]);
  expect(again.signatureValid).toBe(true);
  await expect(log.getByRole("row").nth(1)).toContainText("Succeeded");
});

test("a failing receiver is shown in plain words", async ({ page, receiver }) => {
  receiver.respondWith(() => ({ status: 503, body: '{"error":"maintenance"}' }));
  const process = await ProcessPage.createNew(page, "Failing Receiver Check");
  await process.expand();
  const cb = await process.addCallback();
  await cb.url.fill(`${receiver.url}/down`);
  await process.save();
  await cb.root.getByRole("button", { name: "Send test" }).click();
  const result = cb.root.getByTestId("send-test-result");
  await expect(result).toContainText("Test failed: HTTP 503");
  await expect(result).toContainText("The receiver answered HTTP 503");
  await expect(result).toContainText('{"error":"maintenance"}');
  await expect(cb.root.getByRole("table", { name: /Recent deliveries/ })).toContainText("Failed");
});

test("the main job: a callback configured in the UI receives a POSTed event, and the log shows it", async ({
  page,
  request,
  receiver,
}) => {
  const key = await createIngestKey(page, "dialer");

  const process = await ProcessPage.createNew(page, "Main Job Check");
  const processId = page.url().split("/").pop() ?? "";
  await expect(page.getByTestId("delivery-status")).toContainText("built-in queue");
  await process.expand();
  const cb = await process.addCallback();
  await cb.url.fill(`${receiver.url}/api/lead-callback`);
  await cb.auth("Custom Auth Header").check();
  await cb.authKey.fill("X-API-Key");
  await cb.authValue.fill("key_main_job_5678");
  await process.save();
  await cb.root.getByRole("button", { name: "Reveal" }).click();
  // The revealed secret, not the masked hint it replaces.
  await expect(cb.root.getByTestId("signing-secret")).toHaveText(/^whsec_[A-Za-z0-9+/]{43}=$/);
  receiver.setSecret((await cb.root.getByTestId("signing-secret").textContent()) ?? "");
  receiver.setAuth({ authHeader: { key: "X-API-Key", value: "key_main_job_5678" } });

  const event = {
    id: `evt_main_${Date.now()}`,
    type: "lead.disposition_marked",
    processId,
    occurredAt: new Date().toISOString(),
    lead: { id: "lead_main", name: "Asha Verma", phone: "+919812345678", disposition: "Converted" },
  };
  const accepted = await request.post("/api/events", {
    headers: { authorization: `Bearer ${key}` },
    data: event,
  });
  expect(accepted.status()).toBe(202);

  const webhook = await receiver.waitFor();
  expect(webhook).toMatchObject({
    method: "POST",
    path: "/api/lead-callback",
    signatureValid: true,
    authValid: true,
  });
  expect(webhook.json).toMatchObject({
    type: "lead.disposition_marked",
    data: {
      process: { id: processId, name: "Main Job Check" },
      lead: { id: "lead_main", disposition: "Converted" },
    },
  });
  const log = cb.root.getByRole("table", { name: /Recent deliveries/ });
  await expect(log.getByRole("row").nth(1)).toContainText("Succeeded");
  await expect(log.getByRole("row").nth(1)).toContainText("lead.disposition_marked");
});

test("after Rotate, deliveries verify with the new secret and with the old one until the overlap ends", async ({
  page,
  receiver,
}) => {
  const process = await ProcessPage.createNew(page, "Rotation Overlap Check");
  await process.expand();
  const cb = await process.addCallback();
  await cb.url.fill(`${receiver.url}/rotating`);
  await process.save();
  const secret = cb.root.getByTestId("signing-secret");
  await cb.root.getByRole("button", { name: "Reveal" }).click();
  await expect(secret).toHaveText(/^whsec_[A-Za-z0-9+/]{43}=$/);
  const before = (await secret.textContent()) ?? "";

  await cb.root.getByRole("button", { name: "Rotate" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Rotate secret" }).click();
  await expect(cb.root.getByText("Signing secret rotated.")).toBeVisible();
  // The page says when the old secret stops signing: 24 hours from now.
  await expect(
    cb.root.getByText(/Deliveries are also signed with the previous secret until .+ UTC/),
  ).toBeVisible();
  await cb.root.getByRole("button", { name: "Reveal" }).click();
  await expect(secret).toHaveText(/^whsec_[A-Za-z0-9+/]{43}=$/);
  const after = (await secret.textContent()) ?? "";
  expect(after).not.toBe(before);

  await cb.root.getByRole("button", { name: "Send test" }).click();
  const webhook = await receiver.waitFor();
  // Two signatures, space-separated; the standardwebhooks library accepts the request with either secret.
  expect(webhook.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
  for (const key of [after, before]) {
    expect(() => new Webhook(key).verify(webhook.rawBody, webhook.headers)).not.toThrow();
  }
  expect(() =>
    new Webhook(`whsec_${Buffer.alloc(32, 7).toString("base64")}`).verify(webhook.rawBody, webhook.headers),
  ).toThrow();
});
