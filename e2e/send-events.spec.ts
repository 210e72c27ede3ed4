import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, signInState, test } from "./fixtures";
import { createIngestKey } from "./pages/api-keys";
import { ProcessPage } from "./pages/process-page";

const run = promisify(execFile);

type Webhook = { data?: { event?: { id?: string }; lead?: { id?: string }; process?: { id?: string } } };
const eventIdOf = (json: unknown) => (json as Webhook | null)?.data?.event?.id;

test.use({ role: "admin" });

test("the process page gives a producer its process id and a curl that works as pasted", async ({
  page,
  receiver,
}) => {
  const key = await createIngestKey(page, "curl-paster");
  const process = await ProcessPage.createNew(page, "Send Events Check");
  const processId = page.url().split("/").pop() ?? "";
  await process.expand();
  const cb = await process.addCallback();
  await cb.url.fill(`${receiver.url}/pasted`);
  await process.save();

  const panel = page.getByRole("region", { name: "Send events" });
  await expect(panel.getByTestId("process-id")).toHaveText(processId);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await panel.getByRole("button", { name: "Copy process id" }).click();
  await expect(panel.getByRole("button", { name: "Copy process id" })).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(processId);

  await panel.getByText("Example request (curl)").click();
  await panel.getByRole("button", { name: "Copy curl command" }).click();
  const curl = await page.evaluate(() => navigator.clipboard.readText());
  expect(curl).toBe(await panel.getByTestId("example-curl").textContent());
  expect(curl).toContain(`${new URL(page.url()).origin}/api/events`);
  expect(curl).toContain(`"processId": "${processId}"`);

  // Pasted into a shell with the key in its place: accepted, and the callback gets the event.
  const { stdout } = await run("sh", ["-c", `${curl.replace("lh_YOUR_KEY", key)} -s -w ' %{http_code}'`]);
  const eventId = /"id": "(evt_example_[0-9a-f]+)"/.exec(curl)?.[1];
  expect(stdout).toBe(`{"accepted":["${eventId}"],"duplicates":[]} 202`);
  const webhook = await receiver.waitFor((w) => eventIdOf(w.json) === eventId);
  expect(webhook.path).toBe("/pasted");
});

test("Send sample event ingests an event for the process, which goes out and can be followed", async ({
  page,
  receiver,
}) => {
  const process = await ProcessPage.createNew(page, "Sample Event Check");
  const processId = page.url().split("/").pop() ?? "";
  const panel = page.getByRole("region", { name: "Send events" });

  // With no callback yet: stored, and the page says nothing goes out.
  await panel.getByRole("button", { name: "Send sample event" }).click();
  await expect(panel.getByRole("status")).toContainText("No callback is enabled, so nothing goes out");

  await process.expand();
  const cb = await process.addCallback();
  await cb.url.fill(`${receiver.url}/sample`);
  await process.save();
  await panel.getByRole("button", { name: "Send sample event" }).click();
  await expect(panel.getByRole("status")).toContainText("It goes out to 1 enabled callback");
  const externalId = (await panel.getByRole("status").locator("code").textContent()) ?? "";
  expect(externalId).toMatch(/^evt_sample_/);
  const webhook = await receiver.waitFor((w) => eventIdOf(w.json) === externalId);
  expect((webhook.json as Webhook).data).toMatchObject({
    lead: { id: "lead_sample" },
    process: { id: processId },
  });

  await panel.getByRole("link", { name: "open its event page" }).click();
  await expect(page).toHaveURL(/\/events\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("call.completed");
  await expect(page.getByText(externalId).first()).toBeVisible();
  await expect(page.getByText("Succeeded").first()).toBeVisible();

  // The Audit log says who sent it.
  await page.goto("/settings/audit-log");
  await expect(page.getByRole("table").getByText("Sample event sent").first()).toBeVisible();
});

test("a viewer sees the process id and the curl, but no Send sample event", async ({
  page,
  browser,
  baseURL,
  qaAccounts,
}) => {
  await ProcessPage.createNew(page, "Viewer Send Events Check");
  const url = page.url();
  const viewer = await browser.newContext({
    storageState: await signInState(baseURL as string, qaAccounts.viewer),
  });
  const viewerPage = await viewer.newPage();
  await viewerPage.goto(url);
  const panel = viewerPage.getByRole("region", { name: "Send events" });
  await expect(panel.getByTestId("process-id")).toHaveText(url.split("/").pop() ?? "");
  await expect(panel.getByTestId("example-curl")).toContainText("/api/events");
  await expect(panel.getByRole("button", { name: "Send sample event" })).toHaveCount(0);
  await viewer.close();
});
