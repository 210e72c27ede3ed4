import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect } from "vitest";
import type { Access, ActionDeclaration } from "@/auth/action";
import { auditContext, getMember } from "@/auth/member";
import type { Database } from "@/db/index";
import { createApiKey } from "@/db/queries/api-keys";
import { createTestDelivery } from "@/db/queries/deliveries";
import { createInvitation } from "@/db/queries/invitations";
import { insertWorkspace } from "@/db/queries/members";
import { replays } from "@/db/schema";
import { test as dbTest } from "@/testing/db-test";
import { processWithCallbacks } from "@/testing/fixtures";
import { actAs } from "@/testing/members";
import { resetRequest } from "@/testing/request-scope";

/*
 * The authorization matrix. Every server action and route handler is found from the file tree, so a new
 * one without an entry here fails this test. Each action is called as an anonymous visitor, a viewer of
 * the workspace that owns the data, and an admin of another workspace (also with a forged workspace
 * cookie); each must be refused as its entry says, with nothing in the database changed.
 */

const appDir = path.resolve(import.meta.dirname);

function filesWhere(dir: string, keep: (name: string, full: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesWhere(full, keep);
    return keep(entry.name, full) ? [path.relative(appDir, full)] : [];
  });
}

const filesNamed = (dir: string, names: string[]) => filesWhere(dir, (name) => names.includes(name));

/** Every module of server actions: any source file that starts with the "use server" directive. */
const serverActionFiles = () =>
  filesWhere(
    appDir,
    (name, full) =>
      /\.tsx?$/.test(name) &&
      !name.includes(".test.") &&
      /^\s*["']use server["']/.test(readFileSync(full, "utf8")),
  );

type Fixture = Awaited<ReturnType<typeof seedWorkspace>>["f"];

/**
 * What an action needs to be called, and who may call it: a permission, "signed-in", or "public" (no
 * session needed: it has its own proof). Written here as well as in the action's own declaration
 * (auth/action.ts), which must match it: a weakened declaration fails this test instead of quietly
 * dropping the refusals it no longer gets.
 */
type ActionCase = {
  permission: Access;
  /** Arguments naming the owning workspace's data; omitted: the action takes none of its ids. */
  args: (f: Fixture) => unknown[];
  /**
   * The refusal a member of another workspace gets: not_found for ids from elsewhere; or the action names
   * no ids and acts on the caller's own workspace.
   */
  otherWorkspace?: "not_found" | "invalid_request" | "acts-on-own-workspace";
  /** For public actions: the refusal an anonymous caller gets with these arguments. */
  anonymous?: string;
};

const settings = () => ({
  version: 1,
  name: "Renamed",
  description: "",
  language: "English",
  status: "active",
  callbacks: [],
});

const replayForm = () => ({
  callbackId: "all",
  include: "all",
  from: "2026-01-01T00:00",
  to: "",
  eventTypes: [],
  leadStatus: "",
  disposition: "",
});

const actionCases: Record<string, ActionCase> = {
  "actions.ts#switchWorkspaceAction": {
    permission: "read",
    args: (f) => [f.workspaceId],
    otherWorkspace: "not_found",
  },
  "processes/actions.ts#createProcessAction": {
    permission: "processes:write",
    args: (f) => [f.workspaceId, { name: "Intruder process" }],
    otherWorkspace: "not_found",
  },
  "processes/[id]/actions.ts#saveProcessSettingsAction": {
    permission: "processes:write",
    args: (f) => [f.workspaceId, f.processId, settings()],
    otherWorkspace: "not_found",
  },
  "processes/[id]/actions.ts#revealSigningSecretAction": {
    permission: "secrets:reveal",
    args: (f) => [f.workspaceId, f.processId, f.callbackId],
    otherWorkspace: "not_found",
  },
  "processes/[id]/actions.ts#rotateSigningSecretAction": {
    permission: "secrets:rotate",
    args: (f) => [f.workspaceId, f.processId, f.callbackId],
    otherWorkspace: "not_found",
  },
  "processes/[id]/delivery-actions.ts#loadDeliveriesAction": {
    permission: "read",
    args: (f) => [f.workspaceId, f.processId, f.callbackId],
    otherWorkspace: "not_found",
  },
  "processes/[id]/delivery-actions.ts#loadDeliveryAction": {
    permission: "read",
    args: (f) => [f.workspaceId, f.processId, f.callbackId, f.deliveryId],
    otherWorkspace: "not_found",
  },
  "processes/[id]/delivery-actions.ts#sendTestAction": {
    permission: "deliveries:test",
    args: (f) => [f.workspaceId, f.processId, f.callbackId],
    otherWorkspace: "not_found",
  },
  "processes/[id]/delivery-actions.ts#redeliverAction": {
    permission: "deliveries:redeliver",
    args: (f) => [f.workspaceId, f.processId, f.callbackId, f.deliveryId],
    otherWorkspace: "not_found",
  },
  "processes/[id]/sample-event-actions.ts#sendSampleEventAction": {
    permission: "deliveries:test",
    args: (f) => [f.workspaceId, f.processId],
    otherWorkspace: "not_found",
  },
  "processes/[id]/replay-actions.ts#previewReplayAction": {
    permission: "deliveries:redeliver",
    args: (f) => [f.workspaceId, f.processId, replayForm()],
    otherWorkspace: "not_found",
  },
  "processes/[id]/replay-actions.ts#startReplayAction": {
    permission: "deliveries:redeliver",
    args: (f) => [f.workspaceId, f.processId, replayForm()],
    otherWorkspace: "not_found",
  },
  "processes/[id]/replay-actions.ts#cancelReplayAction": {
    permission: "deliveries:redeliver",
    args: (f) => [f.workspaceId, f.processId, f.replayId],
    otherWorkspace: "not_found",
  },
  "settings/api-keys/actions.ts#createApiKeyAction": {
    permission: "keys:manage",
    args: (f) => [f.workspaceId, { name: "intruder" }],
    otherWorkspace: "not_found",
  },
  "settings/api-keys/actions.ts#revokeApiKeyAction": {
    permission: "keys:manage",
    args: (f) => [f.workspaceId, f.apiKeyId],
    otherWorkspace: "not_found",
  },
  "settings/members/actions.ts#inviteMemberAction": {
    permission: "members:invite",
    args: (f) => [f.workspaceId, { email: "intruder@example.com", role: "admin" }],
    otherWorkspace: "not_found",
  },
  "settings/members/actions.ts#revokeInvitationAction": {
    permission: "members:invite",
    args: (f) => [f.workspaceId, f.invitationId],
    otherWorkspace: "not_found",
  },
  "settings/members/actions.ts#changeRoleAction": {
    permission: "members:manage",
    args: (f) => [f.workspaceId, f.viewerId, "owner"],
    otherWorkspace: "not_found",
  },
  "settings/members/actions.ts#removeMemberAction": {
    permission: "members:manage",
    args: (f) => [f.workspaceId, f.viewerId],
    otherWorkspace: "not_found",
  },
  "settings/members/actions.ts#renameWorkspaceAction": {
    permission: "workspace:manage",
    args: (f) => [f.workspaceId, { name: "Taken over" }],
    otherWorkspace: "not_found",
  },
  "setup/actions.ts#createOwnerAction": {
    permission: "public",
    args: () => [
      {
        name: "Mallory",
        email: "mallory@example.com",
        password: "a long enough password",
        workspaceName: "Mine",
      },
    ],
    anonymous: "conflict",
  },
  "workspaces/new/actions.ts#createWorkspaceAction": {
    permission: "signed-in",
    args: () => [{ name: "A workspace of my own" }],
    otherWorkspace: "acts-on-own-workspace",
  },
  "invite/[token]/actions.ts#acceptInvitationAction": {
    permission: "public",
    args: () => [
      "not-a-real-invitation-token-000000",
      { name: "Mallory", password: "a long enough password" },
    ],
    anonymous: "not_found",
  },
  // Mails the caller's own address only: it takes no ids.
  "account/actions.ts#sendVerificationLinkAction": {
    permission: "signed-in",
    args: () => [],
    otherWorkspace: "acts-on-own-workspace",
  },
  // The link is for someone else's email: refused, whoever else holds it.
  "invite/[token]/actions.ts#joinWorkspaceAction": {
    permission: "signed-in",
    args: (f) => [f.invitationToken],
    otherWorkspace: "invalid_request",
  },
};

/** How each route handler authenticates its callers; each is tested where named. */
const routeCases: Record<string, string> = {
  "api/events/route.ts#POST": "ingest key (tested below and in api/events/route.db.test.ts)",
  "api/events/route.ts#GET": "405 with Allow: POST, whoever asks (tested below)",
  "api/events/route.ts#PUT": "405 with Allow: POST",
  "api/events/route.ts#PATCH": "405 with Allow: POST",
  "api/events/route.ts#DELETE": "405 with Allow: POST",
  "api/inngest/route.ts#GET":
    "Inngest request signing in production (inngest/serve; api/inngest/route.test.ts)",
  "api/inngest/route.ts#POST": "Inngest request signing in production",
  "api/inngest/route.ts#PUT": "Inngest request signing in production",
  "api/openapi.json/route.ts#GET": "public: the API description",
  "api/auth/[...all]/route.ts#GET": "Better Auth: session endpoints answer only for the cookie's owner",
  "api/auth/[...all]/route.ts#POST":
    "Better Auth: sign-in (rate limited), sign-out; sign-up disabled (tested below)",
};

/** Pages anyone may open: everything else must check the session first. */
const publicPages = [
  "sign-in/page.tsx",
  "setup/page.tsx",
  "invite/[token]/page.tsx",
  "no-workspace/page.tsx",
  "workspaces/new/page.tsx",
  // Signed in is enough (and a person in no workspace may change their password): it checks the session.
  "account/page.tsx",
];

/** What the seeding uses of the `members` fixture. */
type Members = Pick<typeof import("@/testing/members"), "makeUser" | "addMember" | "otherWorkspace">;

/**
 * The owning workspace's data, and the session cookies of its viewer and of an owner of another
 * workspace. Made once for the file: the sign-ins go through `actAs` itself (the `request` fixture is
 * per test), and the request is left anonymous; each test sets the cookies it calls with.
 */
async function seedWorkspace(db: Database, members: Members) {
  const owner = await members.makeUser("Owner A");
  const workspaceId = await members.addMember(owner.id, "owner");
  const viewer = await members.makeUser("Viewer A");
  await members.addMember(viewer.id, "viewer", workspaceId);
  await actAs(owner.email);
  const member = await getMember();
  if (!member) throw new Error("owner not signed in");
  const { process, callbackIds } = await processWithCallbacks("Guarded", [
    { url: "https://hooks.example.com/a" },
  ]);
  const callbackId = callbackIds[0] as string;
  const deliveryId = await createTestDelivery(callbackId, "call.completed", { hello: "world" });
  const { record } = await createApiKey(workspaceId, "producer");
  const [replay] = await db
    .insert(replays)
    .values({ workspaceId, processId: process.id, since: new Date(0), until: new Date(), total: 1 })
    .returning({ id: replays.id });
  const { token, invitation } = await createInvitation(auditContext(member), {
    email: "invitee@example.com",
    role: "viewer",
  });
  const f = {
    workspaceId,
    processId: process.id,
    callbackId,
    deliveryId,
    apiKeyId: record.id,
    replayId: replay?.id as string,
    invitationId: invitation.id,
    invitationToken: token,
    viewerId: viewer.id,
    viewerEmail: viewer.email,
  };
  const viewerCookies = await actAs(f.viewerEmail);
  const other = await members.otherWorkspace();
  const outsiderCookies = await actAs(other.owner.email);
  resetRequest();
  return { f, viewerCookies, outsiderCookies };
}

const watchedTables = [
  "workspaces",
  "processes",
  "lead_update_callbacks",
  "api_keys",
  "events",
  "leads",
  "lead_activities",
  "deliveries",
  "delivery_attempts",
  "replays",
  "memberships",
  "invitations",
  "users",
  "accounts",
  "audit_log",
];

/** A fingerprint of everything an action could change (sessions and the limiter excepted). */
async function fingerprint(db: Database): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of watchedTables) {
    const result = await db.execute(
      sql.raw(`select coalesce(string_agg(t::text, '|' order by t::text), '') as rows from ${table} t`),
    );
    const rows = (result as unknown as { rows: { rows: string }[] }).rows[0]?.rows ?? "";
    out[table] = createHash("sha256").update(rows).digest("hex");
  }
  return out;
}

const it = dbTest.extend("seeded", { scope: "file" }, async ({ db, members }) => seedWorkspace(db, members));

// Seeds once, before the first test, with the time the seeding has always had.
it.beforeAll(({ seeded: _ }) => {}, 60_000);

const actionFiles = serverActionFiles();
const discovered = (
  await Promise.all(
    actionFiles.map(async (file) => {
      const mod = (await import(`./${file}`)) as Record<string, unknown>;
      return Object.entries(mod)
        .filter(([, value]) => typeof value === "function")
        .map(([name, fn]) => ({
          key: `${file}#${name}`,
          fn: fn as ((...args: unknown[]) => Promise<unknown>) & { declaration?: ActionDeclaration },
        }));
    }),
  )
).flat();

describe("the authorization matrix", () => {
  it("has an entry for every server action and route handler in app/", async () => {
    expect(discovered.map((d) => d.key).sort()).toEqual(Object.keys(actionCases).sort());
    // Every action is built by defineAction, so its permission is the one it checks.
    expect(discovered.filter((d) => !d.fn.declaration).map((d) => d.key)).toEqual([]);
    const routes = await Promise.all(
      filesNamed(appDir, ["route.ts"]).map(async (file) => {
        const mod = (await import(`./${file}`)) as Record<string, unknown>;
        return ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((m) => m in mod).map((m) => `${file}#${m}`);
      }),
    );
    expect(routes.flat().sort()).toEqual(Object.keys(routeCases).sort());
  });

  it("every admin page checks the session before anything else", () => {
    for (const page of filesNamed(appDir, ["page.tsx"])) {
      if (publicPages.includes(page) || page === "page.tsx") continue;
      expect(readFileSync(path.join(appDir, page), "utf8"), page).toContain("requirePageMember(");
    }
  });

  describe.each(discovered)("$key", ({ key, fn }) => {
    const entry = actionCases[key] as ActionCase;
    const { permission } = entry;

    it(`declares the permission ${permission}`, () => {
      expect(fn.declaration?.permission).toBe(permission);
    });

    // Each test starts anonymous (the `request` fixture); the viewer and outsider tests set their cookies.
    const refusedWithNothingChanged = async (db: Database, f: Fixture, expected: string) => {
      const before = await fingerprint(db);
      const result = (await fn(...entry.args(f))) as { ok: boolean; code?: string };
      expect(result).toMatchObject({ ok: false, code: expected });
      expect(await fingerprint(db)).toEqual(before);
    };

    it("refuses an anonymous caller", async ({ db, request: _, seeded: { f } }) => {
      await refusedWithNothingChanged(db, f, entry.anonymous ?? "unauthorized");
    });

    if (permission !== "public" && permission !== "signed-in" && permission !== "read") {
      it("refuses a viewer", async ({ db, request, seeded: { f, viewerCookies } }) => {
        request.setCookies(viewerCookies);
        await refusedWithNothingChanged(db, f, "forbidden");
      });
    }

    const outsider = entry.otherWorkspace;
    if (outsider && outsider !== "acts-on-own-workspace") {
      it(`refuses a member of another workspace (${outsider})`, async ({
        db,
        request,
        seeded: { f, outsiderCookies },
      }) => {
        request.setCookies(outsiderCookies);
        await refusedWithNothingChanged(db, f, outsider);
      });

      it("still does when that member forges the workspace cookie", async ({
        db,
        request,
        seeded: { f, outsiderCookies },
      }) => {
        request.setCookies([...outsiderCookies, `leadhook_workspace=${f.workspaceId}`]);
        await refusedWithNothingChanged(db, f, outsider);
      });
    }
  });
});

describe("route handlers", () => {
  it("POST /api/events refuses a caller without an ingest key", async () => {
    const { POST } = await import("./api/events/route");
    const response = await POST(
      new Request("http://localhost:3000/api/events", { method: "POST", body: "{}" }) as never,
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
  });

  it("other methods on /api/events answer 405 with a JSON body and Allow: POST", async () => {
    const route = await import("./api/events/route");
    for (const method of ["GET", "PUT", "PATCH", "DELETE"] as const) {
      const response = route[method]();
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
      expect(await response.json()).toMatchObject({ error: { code: "method_not_allowed" } });
    }
  });

  it("Better Auth's open sign-up endpoint is switched off", async ({ db }) => {
    const { POST } = await import("./api/auth/[...all]/route");
    const before = await fingerprint(db);
    const response = await POST(
      new Request("http://localhost:3000/api/auth/sign-up/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://localhost:3000" },
        body: JSON.stringify({
          email: "walk-in@example.com",
          password: "a long enough password",
          name: "Walk In",
        }),
      }),
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await fingerprint(db)).toEqual(before);
  });
});

describe("the workspace an action acts on", () => {
  it("is the one its page showed, with the role held there, whatever the workspace cookie says now", async ({
    db,
    members,
    request,
    seeded: { f },
  }) => {
    const { renameWorkspaceAction } = await import("./settings/members/actions");
    // An admin of the fixture's workspace who owns another, which the cookie now names.
    const person = await members.makeUser("Two Hats");
    await members.addMember(person.id, "admin", f.workspaceId);
    const own = await insertWorkspace(db, "Hat Shop", person.id);
    const cookies = await request.actAs(person.email);
    request.reset();
    request.setCookies([...cookies, `leadhook_workspace=${own.id}`]);
    const before = await fingerprint(db);
    expect(await renameWorkspaceAction(f.workspaceId, { name: "Renamed by an admin" })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(await fingerprint(db)).toEqual(before);
    expect(await renameWorkspaceAction(own.id, { name: "Hat Shop Ltd" })).toMatchObject({ ok: true });
  });
});
