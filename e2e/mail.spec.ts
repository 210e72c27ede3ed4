import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import pg from "pg";
import { type AppServer, startAppOnNewDatabase } from "../testing/app-server";
import { type Database, postgresServerUrl } from "../testing/engines";
import { linkIn, startSmtpServer } from "../testing/smtp-server";

// A server configured with a mail server (a real SMTP server on 127.0.0.1, in this process): invitation
// links go only to the invitee's mailbox, and an account's email counts as verified once its holder
// opened a link mailed to it. The tests run in order on one database.
test.describe.configure({ mode: "serial" });

const PORT = 3170;
const OWNER = { name: "Mia Owner", email: "mia@example.com", password: "owner password for mail e2e" };
const NEW_OWNER_PASSWORD = "a newer owner password for mail e2e";
const ADMIN = { name: "Raj Admin", email: "raj@example.com", password: "admin password for mail e2e" };

let app: AppServer;
let database: Database;
let db: pg.Client;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let ownerContext: BrowserContext;
let owner: Page;

async function emailVerified(email: string): Promise<boolean | undefined> {
  const { rows } = await db.query<{ v: boolean }>("select email_verified as v from users where email = $1", [
    email,
  ]);
  return rows[0]?.v;
}

async function pendingInvitations(email: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    "select count(*) as n from invitations where email = $1 and accepted_at is null and revoked_at is null",
    [email],
  );
  return Number(rows[0]?.n);
}

test.beforeAll(async ({ browser }) => {
  test.skip(!postgresServerUrl(), "needs a PostgreSQL server (DATABASE_URL) to inspect the app's database");
  test.setTimeout(120_000);
  smtp = await startSmtpServer({ refuse: ["nobody@example.com"] });
  ({ app, database } = await startAppOnNewDatabase({
    port: PORT,
    env: {
      SMTP_URL: smtp.url,
      SMTP_FROM: "leadhook <no-reply@example.com>",
      // Mailed links point at the public origin, whatever Host a request names.
      BETTER_AUTH_URL: `http://127.0.0.1:${PORT}`,
    },
  }));
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
  ownerContext = await browser.newContext();
  owner = await ownerContext.newPage();
  await owner.goto(`${app.url}/setup`);
  await owner.getByLabel("Your name").fill(OWNER.name);
  await owner.getByLabel("Email").fill(OWNER.email);
  await owner.getByLabel("Password").fill(OWNER.password);
  await owner.getByLabel("Workspace name").fill("Mail Co");
  await owner.getByRole("button", { name: "Create the owner account" }).click();
  await expect(owner).toHaveURL(/\/processes$/);
});

test.afterAll(async () => {
  await ownerContext?.close();
  await db?.end();
  await app?.stop();
  await database?.drop();
  await smtp?.close();
});

test("an invitation is mailed to the invitee and never shown to the inviter; its link makes a verified account", async ({
  browser,
}) => {
  await owner.goto(`${app.url}/settings/members`);
  await expect(owner.getByText("leadhook emails them a link")).toBeVisible();
  await owner.getByLabel("Email", { exact: true }).fill(ADMIN.email);
  await owner.getByLabel("Role", { exact: true }).selectOption("admin");
  await owner.getByRole("button", { name: "Send invitation" }).click();
  await expect(owner.getByRole("status")).toContainText(`Invitation emailed to ${ADMIN.email}`);
  // Nowhere on the inviter's page: not in a field, not in the HTML.
  await expect(owner.getByLabel("Invitation link")).toHaveCount(0);
  expect(await owner.content()).not.toContain("/invite/");

  const mail = await smtp.mailTo(ADMIN.email);
  expect(mail.subject).toBe(`${OWNER.name} invited you to Mail Co on leadhook`);
  const link = linkIn(mail.text);
  expect(link).toMatch(new RegExp(`^${app.url}/invite/[\\w-]{43}$`));
  const { rows } = await db.query("select details from audit_log where action = 'member.invited'");
  expect(rows).toEqual([{ details: { role: "admin", mailed: true } }]);

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await page.getByLabel("Name").fill(ADMIN.name);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: /Create account and join/ }).click();
  await expect(page).toHaveURL(/\/processes$/);
  expect(await emailVerified(ADMIN.email)).toBe(true);
  await page.goto(`${app.url}/account`);
  await expect(page.getByText(ADMIN.email)).toBeVisible();
  await expect(page.getByText("Verified", { exact: true })).toBeVisible();
  await context.close();
  // The owner sees who proved their address: the admin did, the owner (made on the first-run page) not yet.
  await owner.goto(`${app.url}/settings/members`);
  const row = (email: string) => owner.getByRole("row").filter({ hasText: email });
  await expect(row(OWNER.email).getByText("Not verified")).toBeVisible();
  await expect(row(ADMIN.email)).toBeVisible();
  await expect(row(ADMIN.email).getByText("Not verified")).toHaveCount(0);
});

test("an address the mail server refuses leaves no invitation behind, and says why", async () => {
  await owner.goto(`${app.url}/settings/members`);
  await owner.getByLabel("Email", { exact: true }).fill("nobody@example.com");
  await owner.getByRole("button", { name: "Send invitation" }).click();
  await expect(
    owner.getByRole("alert").filter({
      hasText: "The email to nobody@example.com could not be sent: the mail server refused the address.",
    }),
  ).toBeVisible();
  expect(await pendingInvitations("nobody@example.com")).toBe(0);
  const { rows } = await db.query("select count(*)::int as n from audit_log where target_label = $1", [
    "nobody@example.com",
  ]);
  expect(rows[0]).toEqual({ n: 0 });
});

test("an owner verifies their email through a mailed link; one link a minute, and a forged one does nothing", async () => {
  expect(await emailVerified(OWNER.email)).toBe(false);
  await owner.goto(`${app.url}/processes`);
  await owner.getByRole("link", { name: new RegExp(OWNER.name) }).click();
  await expect(owner).toHaveURL(/\/account$/);
  await expect(owner.getByText("Not verified", { exact: true })).toBeVisible();

  // Anyone can ask Better Auth's endpoint to mail a link to any address: leadhook closes it.
  const open = await owner.request.post(`${app.url}/api/auth/send-verification-email`, {
    data: { email: OWNER.email },
    headers: { origin: app.url },
    failOnStatusCode: false,
  });
  expect(open.status()).toBe(404);

  await owner.getByRole("button", { name: "Send verification link" }).click();
  await expect(owner.getByRole("status")).toContainText(`Sent to ${OWNER.email}`);
  await owner.getByRole("button", { name: "Send another link" }).click();
  await expect(owner.getByRole("alert").filter({ hasText: "less than 60 seconds ago" })).toBeVisible();
  expect(smtp.received.filter((m) => m.to.includes(OWNER.email))).toHaveLength(1);

  await owner.goto(`${app.url}/api/auth/verify-email?token=forged&callbackURL=%2Faccount%3Fverified%3D1`);
  await expect(
    owner.getByRole("alert").filter({ hasText: "That verification link is not valid" }),
  ).toBeVisible();
  await expect(owner.getByText("Not verified", { exact: true })).toBeVisible();
  expect(await emailVerified(OWNER.email)).toBe(false);

  const mail = await smtp.mailTo(OWNER.email);
  expect(mail.subject).toBe("Verify your email address for leadhook");
  await owner.goto(linkIn(mail.text));
  await expect(owner).toHaveURL(/\/account\?verified=1$/);
  await expect(owner.getByRole("status")).toContainText("Your email is verified.");
  await expect(owner.getByText("Verified", { exact: true })).toBeVisible();
  expect(await emailVerified(OWNER.email)).toBe(true);
  const { rows } = await db.query(
    "select actor_label, target_label from audit_log where action = 'email.verified'",
  );
  expect(rows).toEqual([{ actor_label: `${OWNER.name} <${OWNER.email}>`, target_label: OWNER.email }]);
});

test("changing the password checks the current one and ends the other sessions", async ({ browser }) => {
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(`${app.url}/sign-in`);
  await otherPage.getByLabel("Email").fill(OWNER.email);
  await otherPage.getByLabel("Password").fill(OWNER.password);
  await otherPage.getByRole("button", { name: "Sign in" }).click();
  await expect(otherPage).toHaveURL(/\/processes$/);

  await owner.goto(`${app.url}/account`);
  await owner.getByLabel("Current password").fill("not the password at all");
  await owner.getByLabel("New password", { exact: true }).fill(NEW_OWNER_PASSWORD);
  await owner.getByLabel("New password again").fill(`${NEW_OWNER_PASSWORD}!`);
  await owner.getByRole("button", { name: "Change password" }).click();
  await expect(owner.getByText("The two new passwords differ")).toBeVisible();

  await owner.getByLabel("New password again").fill(NEW_OWNER_PASSWORD);
  await owner.getByRole("button", { name: "Change password" }).click();
  await expect(owner.getByText("This is not your current password")).toBeVisible();
  const { rows } = await db.query(
    "select target_label from audit_log where action = 'password.change_failed'",
  );
  expect(rows).toEqual([{ target_label: OWNER.email }]);

  await owner.getByLabel("Current password").fill(OWNER.password);
  await owner.getByRole("button", { name: "Change password" }).click();
  await expect(owner.getByRole("status")).toContainText("Password changed");
  // This browser stays signed in; the other one was signed out.
  await owner.goto(`${app.url}/processes`);
  await expect(owner).toHaveURL(/\/processes$/);
  await otherPage.goto(`${app.url}/processes`);
  await expect(otherPage).toHaveURL(/\/sign-in/);
  await otherPage.getByLabel("Email").fill(OWNER.email);
  await otherPage.getByLabel("Password").fill(NEW_OWNER_PASSWORD);
  await otherPage.getByRole("button", { name: "Sign in" }).click();
  await expect(otherPage).toHaveURL(/\/processes$/);
  await other.close();
});
