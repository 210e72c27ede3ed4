import { readFileSync } from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, expect, type Page, test } from "@playwright/test";
import pg from "pg";
import { type AppServer, startAppOnNewDatabase } from "../testing/app-server";
import { type Database, postgresServerUrl } from "../testing/engines";

// Sign-in, first run, invitations and roles, in Chromium against a production build on a database of
// its own that starts with no accounts. The tests run in order: each builds on the one before, as a
// team's first day would.
test.describe.configure({ mode: "serial" });

const root = path.resolve(import.meta.dirname, "..");
const PORT = 3160;
const OWNER = { name: "Asha Rao", email: "asha@example.com", password: "owner password for e2e" };
const ADMIN = { name: "Dev Admin", email: "dev@example.com", password: "admin password for e2e" };
const VIEWER = { name: "Val Viewer", email: "val@example.com", password: "viewer password for e2e" };

let app: AppServer;
let database: Database;
let db: pg.Client;
let ownerContext: BrowserContext;
let owner: Page;
const people = new Map<"admin" | "viewer", BrowserContext>();

function contextOf(who: "admin" | "viewer"): BrowserContext {
  const context = people.get(who);
  if (!context) throw new Error(`${who} has not joined yet`);
  return context;
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`select count(*) as n from ${sql}`, params);
  return Number(rows[0]?.n);
}

/** The id `next build` gave a server action, as a forged request would use it. */
function actionId(file: string, name: string): string {
  const manifest = JSON.parse(
    readFileSync(path.join(root, ".next/server/server-reference-manifest.json"), "utf8"),
  );
  const entry = Object.entries(
    manifest.node as Record<string, { filename: string; exportedName: string }>,
  ).find(([, v]) => v.filename === file && v.exportedName === name);
  if (!entry) throw new Error(`no action ${file}#${name} in the build`);
  return entry[0];
}

/** A server action called by hand from `context`'s session, the way a forged request would be. */
function callAction(context: BrowserContext, id: string, args: unknown[], origin = app.url) {
  return context.request.post(`${app.url}/settings/api-keys`, {
    headers: {
      "next-action": id,
      origin,
      "content-type": "text/plain;charset=UTF-8",
      accept: "text/x-component",
    },
    data: JSON.stringify(args),
    failOnStatusCode: false,
  });
}

/** The owner's first workspace, which the pages bind into their actions. */
async function acmeId(): Promise<string> {
  const { rows } = await db.query<{ id: string }>("select id from workspaces where name = 'Acme Lending'");
  return rows[0]?.id as string;
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${app.url}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function acceptInvitation(browser: Browser, link: string, person: typeof ADMIN) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await page.getByLabel("Name").fill(person.name);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: /Create account and join/ }).click();
  await expect(page).toHaveURL(/\/processes$/);
  return { context, page };
}

async function invite(email: string, role: "admin" | "viewer") {
  await owner.goto(`${app.url}/settings/members`);
  await owner.getByLabel("Email", { exact: true }).fill(email);
  await owner.getByLabel("Role", { exact: true }).selectOption(role);
  await owner.getByRole("button", { name: "Create invitation link" }).click();
  const link = owner.getByLabel("Invitation link");
  await expect(link).toHaveValue(/\/invite\//);
  // No mail server: the link is the inviter's to pass on, and the page says who may use it.
  await expect(owner.getByText(`Send this link to ${email} only`)).toContainText(
    `whoever opens it first joins and sets the password of the account for ${email}`,
  );
  return link.inputValue();
}

test.beforeAll(async ({ browser }) => {
  test.skip(!postgresServerUrl(), "needs a PostgreSQL server (DATABASE_URL) to inspect the app's database");
  test.setTimeout(120_000);
  ({ app, database } = await startAppOnNewDatabase({
    port: PORT,
    env: {
      // Members start workspaces of their own here (production's default is closed: only the operator does).
      WORKSPACE_CREATION: "open",
    },
  }));
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
  ownerContext = await browser.newContext();
  owner = await ownerContext.newPage();
});

test.afterAll(async () => {
  await Promise.all([...people.values()].map((c) => c.close()));
  await ownerContext?.close();
  await db?.end();
  await app?.stop();
  await database?.drop();
});

test("first run: every admin page leads to Create the owner account, which signs the owner in", async () => {
  for (const page of ["/processes", "/settings/api-keys", "/sign-in"]) {
    await owner.goto(`${app.url}${page}`);
    await expect(owner).toHaveURL(/\/setup$/);
  }
  await expect(owner.getByRole("heading", { name: "Create the owner account" })).toBeVisible();
  await owner.getByLabel("Your name").fill(OWNER.name);
  await owner.getByLabel("Email").fill(OWNER.email);
  await owner.getByLabel("Password").fill("too short");
  await owner.getByLabel("Workspace name").fill("Acme Lending");
  await owner.getByRole("button", { name: "Create the owner account" }).click();
  await expect(owner.getByText("Use at least 12 characters")).toBeVisible();
  // The error alone: the hint that says the same is hidden while it shows.
  await expect(owner.getByText("At least 12 characters", { exact: true })).toHaveCount(0);
  expect(await count("users")).toBe(0);

  await owner.getByLabel("Password").fill(OWNER.password);
  await owner.getByRole("button", { name: "Create the owner account" }).click();
  await expect(owner).toHaveURL(/\/processes$/);
  // The seeded sample processes belong to the owner's workspace, now named as they chose.
  await expect(owner.getByRole("link", { name: "OutReach Plan (hinglish)" })).toBeVisible();
  await expect(owner.getByLabel("Workspace")).toHaveText(/Acme Lending/);
  await owner.goto(`${app.url}/setup`);
  await expect(owner).toHaveURL(/\/processes$/);
});

test("session cookies are HttpOnly, SameSite=Lax and Secure on the production build", async ({ request }) => {
  const response = await request.post(`${app.url}/api/auth/sign-in/email`, {
    data: { email: OWNER.email, password: OWNER.password },
    headers: { origin: app.url },
  });
  expect(response.status()).toBe(200);
  const session = response
    .headersArray()
    .find(
      (h) =>
        h.name.toLowerCase() === "set-cookie" && h.value.startsWith("__Secure-better-auth.session_token="),
    );
  expect(session?.value).toMatch(/; HttpOnly/i);
  expect(session?.value).toMatch(/; SameSite=Lax/i);
  expect(session?.value).toMatch(/; Secure/i);
  const cookie = (await ownerContext.cookies()).find((c) => c.name.endsWith("better-auth.session_token"));
  expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax" });
});

test("sign-out ends the session on the server; a wrong password and an unknown email get one message", async () => {
  const before = (await ownerContext.cookies()).find((c) => c.name.endsWith("better-auth.session_token"));
  const token = decodeURIComponent(before?.value ?? "").split(".")[0];
  expect(await count("sessions where token = $1", [token])).toBe(1);
  await owner.getByRole("button", { name: "Sign out" }).click();
  await expect(owner).toHaveURL(/\/sign-in$/);
  expect(await count("sessions where token = $1", [token])).toBe(0);

  const failedBefore = await count("audit_log where action = 'sign_in.failed'");
  await signIn(owner, OWNER.email, "not the password at all");
  const message = owner.locator("form").getByRole("alert");
  await expect(message).toHaveText("The email or password is not right.");
  await signIn(owner, "nobody@example.com", "not the password at all");
  await expect(message).toHaveText("The email or password is not right.");
  expect(await count("audit_log where action = 'sign_in.failed'")).toBe(failedBefore + 2);

  await signIn(owner, OWNER.email, OWNER.password);
  await expect(owner).toHaveURL(/\/processes$/);
});

test("the owner invites an admin and a viewer; each link works once, in a fresh browser", async ({
  browser,
}) => {
  const adminLink = await invite(ADMIN.email, "admin");
  const viewerLink = await invite(VIEWER.email, "viewer");
  await expect(owner.getByRole("cell", { name: VIEWER.email }).first()).toBeVisible();

  const admin = await acceptInvitation(browser, adminLink, ADMIN);
  people.set("admin", admin.context);
  await expect(admin.page.getByText(`${ADMIN.name} · Admin`)).toBeVisible();
  const viewer = await acceptInvitation(browser, viewerLink, VIEWER);
  people.set("viewer", viewer.context);
  await expect(viewer.page.getByText(`${VIEWER.name} · Viewer`)).toBeVisible();

  // A link works once: opened again, it says so and makes nobody.
  const users = await count("users");
  const again = await browser.newPage();
  await again.goto(adminLink);
  await expect(again.getByText(/was already used/)).toBeVisible();
  await again.close();

  // An expired link is refused the same way.
  const lateLink = await invite("late@example.com", "viewer");
  await db.query("update invitations set expires_at = now() - interval '1 minute' where email = $1", [
    "late@example.com",
  ]);
  const late = await browser.newPage();
  await late.goto(lateLink);
  await expect(late.getByText(/has expired/)).toBeVisible();
  await expect(late.getByRole("button", { name: /Create account and join/ })).toHaveCount(0);
  await late.close();
  expect(await count("users")).toBe(users);
});

test("the last owner can be neither demoted nor removed", async () => {
  await owner.goto(`${app.url}/settings/members`);
  await owner.getByLabel(`Role for ${OWNER.name}`).selectOption("admin");
  await expect(owner.getByRole("alert").filter({ hasText: "last owner" })).toBeVisible();
  expect(await count("memberships where role = 'owner'")).toBe(1);
});

test("a viewer reads but is offered nothing to change, and a forged call is refused", async () => {
  const viewer = await contextOf("viewer").newPage();
  await viewer.goto(`${app.url}/processes`);
  const nav = viewer.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "API Keys" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Members" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: "New Process" })).toHaveCount(0);

  // The seeded process with a callback, as the viewer sees it.
  await viewer.getByRole("link", { name: "Loan Renewal Reminders" }).click();
  await viewer.getByRole("button", { name: /Advanced Settings/ }).click();
  await expect(viewer.getByLabel("Lead Update URL")).toHaveValue("https://crm.example.com/api/lead-callback");
  await expect(viewer.getByLabel("Lead Update URL")).toBeDisabled();
  await expect(viewer.getByTestId("signing-secret")).toContainText("whsec_");
  for (const name of ["Save", "Reveal", "Rotate", "Send test", "+ Add Callback", "Remove"]) {
    await expect(viewer.getByRole("button", { name, exact: true })).toHaveCount(0);
  }

  await viewer.goto(`${app.url}/settings/api-keys`);
  await expect(viewer.getByRole("heading", { name: "Create a key" })).toHaveCount(0);

  // The same action the owner's page calls, forged from the viewer's session.
  const keys = await count("api_keys");
  const response = await callAction(
    contextOf("viewer"),
    actionId("app/settings/api-keys/actions.ts", "createApiKeyAction"),
    [await acmeId(), { name: "forged by a viewer" }],
  );
  expect(await response.text()).toContain('"code":"forbidden"');
  expect(await count("api_keys")).toBe(keys);
  await viewer.close();
});

test("a cross-origin POST to a server action is refused, even with a valid session", async () => {
  const id = actionId("app/settings/api-keys/actions.ts", "createApiKeyAction");
  const keys = await count("api_keys");
  const forged = await callAction(
    ownerContext,
    id,
    [await acmeId(), { name: "cross-site" }],
    "https://evil.example",
  );
  expect(forged.ok()).toBe(false);
  expect(await count("api_keys")).toBe(keys);
  // The same call from the app's own origin works: the refusal above was the origin check.
  const genuine = await callAction(ownerContext, id, [await acmeId(), { name: "same-site" }]);
  expect(await genuine.text()).toContain('"ok":true');
  expect(await count("api_keys")).toBe(keys + 1);
});

test("a server action posted from this host under another scheme is refused", async () => {
  const id = actionId("app/settings/api-keys/actions.ts", "createApiKeyAction");
  const keys = await count("api_keys");
  // Next.js compares the Origin's host only: an http page posting to the https app (or the reverse) passed.
  const otherScheme = app.url.replace(/^http:/, "https:");
  const forged = await callAction(ownerContext, id, [await acmeId(), { name: "other-scheme" }], otherScheme);
  expect(forged.status()).toBe(403);
  expect(await forged.json()).toMatchObject({ error: { code: "forbidden" } });
  expect(await count("api_keys")).toBe(keys);
});

test("pages carry a nonce Content-Security-Policy that forbids framing, and run under it", async () => {
  const violations: string[] = [];
  owner.on("console", (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) violations.push(message.text());
  });
  const nonces: string[] = [];
  for (const path of ["/processes", "/settings/api-keys"]) {
    const response = await owner.goto(`${app.url}${path}`);
    const headers = response?.headers() ?? {};
    const policy = headers["content-security-policy"] ?? "";
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    const scripts = /script-src ([^;]*)/.exec(policy)?.[1] ?? "";
    expect(scripts).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}'/);
    expect(scripts).not.toContain("unsafe-inline");
    expect(scripts).not.toContain("unsafe-eval");
    nonces.push(/'nonce-([^']+)'/.exec(scripts)?.[1] ?? "");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["strict-transport-security"]).toMatch(/^max-age=\d+/);
  }
  expect(new Set(nonces).size).toBe(2);
  // The page hydrated under the policy: a client-side form works.
  await owner.getByLabel("Key name").fill("under-csp");
  await owner.getByRole("button", { name: "Create key" }).click();
  await expect(owner.getByTestId("new-api-key")).toHaveText(/^lh_/);
  expect(violations).toEqual([]);
  // The API answers JSON with nosniff and no page policy.
  const api = await ownerContext.request.get(`${app.url}/api/events`, { failOnStatusCode: false });
  expect(api.status()).toBe(405);
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  expect(api.headers()["content-security-policy"]).toBeUndefined();
});

test("the sign-in form posts, never putting the password in the URL, even before the page hydrated", async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // No JavaScript arrives: the form is submitted natively, as on a page that has not hydrated yet.
  await page.route("**/_next/static/**/*.js", (route) => route.abort());
  await page.goto(`${app.url}/sign-in`);
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password").fill(OWNER.password);
  const submitted = page.waitForRequest((request) => request.isNavigationRequest());
  await page.getByRole("button", { name: "Sign in" }).click();
  const request = await submitted;
  expect(request.method()).toBe("POST");
  expect(request.url()).not.toContain(encodeURIComponent(OWNER.password));
  expect(request.url()).not.toContain("password");
  await context.close();
});

test("the audit log lists what happened, and filters by action", async () => {
  await owner.goto(`${app.url}/settings/audit-log`);
  await expect(owner.getByText("Entries are kept for 365 days.")).toBeVisible();
  const table = owner.getByRole("table");
  for (const action of [
    "Workspace created",
    "Signed in",
    "Sign-in failed",
    "Member invited",
    "Member joined",
    "API key created",
  ]) {
    await expect(table.getByRole("cell", { name: action, exact: true }).first()).toBeVisible();
  }
  await owner.getByLabel("Action").selectOption({ label: "Member joined" });
  await owner.getByRole("button", { name: "Apply" }).click();
  await expect(table.getByRole("row")).toHaveCount(4); // a header and three joins
  await expect(table.getByRole("cell", { name: VIEWER.email, exact: true })).toBeVisible();
});

test("a member of two workspaces switches between them, and one's ids answer 404 in the other", async () => {
  const { rows } = await db.query<{ id: string }>(
    "select id from processes where name = 'Loan Renewal Reminders'",
  );
  const acmeProcess = `${app.url}/processes/${rows[0]?.id}`;
  await owner.goto(`${app.url}/processes`);
  await owner.getByLabel("Workspace").selectOption({ label: "New workspace…" });
  await expect(owner).toHaveURL(/\/workspaces\/new$/);
  await owner.getByLabel("Workspace name").fill("Second Shop");
  await owner.getByRole("button", { name: "Create workspace" }).click();
  await expect(owner).toHaveURL(/\/processes$/);
  await expect(owner.getByText("No processes yet")).toBeVisible();
  await expect(owner.getByLabel("Workspace").locator("option:checked")).toHaveText("Second Shop");

  const response = await owner.goto(acmeProcess);
  expect(response?.status()).toBe(404);

  await owner.getByLabel("Workspace").selectOption({ label: "Acme Lending" });
  await expect(owner.getByRole("link", { name: "Loan Renewal Reminders" })).toBeVisible();
  expect((await owner.goto(acmeProcess))?.status()).toBe(200);
});

test('a workspace\'s first API key appears in the list with it, never beside "No keys yet"', async () => {
  await owner.goto(`${app.url}/processes`);
  await owner.getByLabel("Workspace").selectOption({ label: "Second Shop" });
  await expect(owner.getByText("No processes yet")).toBeVisible();
  await owner.goto(`${app.url}/settings/api-keys`);
  await expect(owner.getByText("No keys yet")).toBeVisible();
  // Any moment (each DOM change) with the new key shown and the list still saying there are none.
  await owner.evaluate(() => {
    const w = window as unknown as { flashed: boolean };
    w.flashed = false;
    new MutationObserver(() => {
      const body = document.body.textContent ?? "";
      if (document.querySelector("[data-testid=new-api-key]") && body.includes("No keys yet"))
        w.flashed = true;
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await owner.getByLabel("Key name").fill("dialer");
  await owner.getByRole("button", { name: "Create key" }).click();
  await expect(owner.getByTestId("new-api-key")).toBeVisible();
  await expect(owner.getByRole("table", { name: "Ingest keys" }).getByText("dialer")).toBeVisible();
  expect(await owner.evaluate(() => (window as unknown as { flashed: boolean }).flashed)).toBe(false);
});
