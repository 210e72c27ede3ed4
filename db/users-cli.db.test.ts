import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { verifyPassword } from "better-auth/crypto";
import { and, count, eq } from "drizzle-orm";
import { describe, expect } from "vitest";
import { it, onPostgres } from "@/testing/db-test";
import { accounts, auditLog, memberships, sessions, users } from "./access-schema";
import type { Database } from "./index";
import { workspaces } from "./schema";

/** Runs the real script, as `npm run users:*` does, against this file's database. */
function cli(args: string[], stdin: string) {
  const child = spawn("node_modules/.bin/tsx", ["--conditions=react-server", "db/users-cli.ts", ...args], {
    env: { ...process.env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  child.stdin.end(stdin);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
}

async function tableCounts(db: Database) {
  const [u] = await db.select({ n: count() }).from(users);
  const [m] = await db.select({ n: count() }).from(memberships);
  const [a] = await db.select({ n: count() }).from(auditLog);
  return { users: u?.n, memberships: m?.n, audit: a?.n };
}

async function credentialHash(db: Database, userId: string) {
  const [account] = await db
    .select()
    .from(accounts)
    .where(and(eq(accounts.userId, userId), eq(accounts.providerId, "credential")));
  return account?.password ?? "";
}

// The script is a separate process: it reaches this file's database only on a Postgres server. Under the
// pglite project the database lives in this test process's memory, out of the script's reach.
describe.skipIf(!onPostgres)("users-cli", () => {
  const password = "correct horse battery staple";

  it("creates a person with a verifiable password, a membership and an audit entry", async ({
    db,
    workspaceId,
  }) => {
    const result = await cli(
      ["create", "--email", "Asha@Example.com", "--name", "Asha Rao", "--role", "admin"],
      `${password}\n`,
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Created asha@example\.com .* admin .*Default workspace/);
    expect(result.stdout).not.toContain(password);

    const [user] = await db.select().from(users).where(eq(users.email, "asha@example.com"));
    if (!user) throw new Error("no user");
    expect(user.name).toBe("Asha Rao");
    const hash = await credentialHash(db, user.id);
    expect(hash).not.toContain(password);
    expect(await verifyPassword({ hash, password })).toBe(true);
    expect(await verifyPassword({ hash, password: "something else entirely" })).toBe(false);
    const [membership] = await db.select().from(memberships).where(eq(memberships.userId, user.id));
    expect(membership).toMatchObject({ workspaceId, role: "admin" });
    const entries = await db.select().from(auditLog).where(eq(auditLog.targetId, user.id));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      workspaceId,
      action: "user.created",
      actorId: null,
      actorLabel: "operator (CLI)",
      targetLabel: "asha@example.com",
      details: { role: "admin" },
    });
  });

  it("refuses a short password, writing nothing", async ({ db }) => {
    const before = await tableCounts(db);
    const result = await cli(
      ["create", "--email", "short@example.com", "--name", "Short", "--role", "viewer"],
      "too-short\n",
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/at least 12 characters/);
    expect(await tableCounts(db)).toEqual(before);
  });

  it("refuses a password given as a flag, and invalid details", async ({ db }) => {
    const before = await tableCounts(db);
    const flag = await cli(
      ["create", "--email", "flag@example.com", "--name", "Flag", "--role", "viewer", "--password", password],
      `${password}\n`,
    );
    expect(flag.code).toBe(1);
    expect(flag.stderr).toMatch(/--password is not accepted/);
    const invalid = await cli(
      ["create", "--email", "not-an-email", "--name", "", "--role", "boss"],
      `${password}\n`,
    );
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/--email: Enter an email address/);
    expect(invalid.stderr).toMatch(/--name: Name is required/);
    expect(invalid.stderr).toMatch(/--role: choose owner, admin or viewer/);
    expect(await tableCounts(db)).toEqual(before);
  });

  it("adds an existing account only when the operator confirms it, ending its sessions, never its password", async ({
    db,
  }) => {
    const [user] = await db.select().from(users).where(eq(users.email, "asha@example.com"));
    if (!user) throw new Error("run the create test first");
    const hashBefore = await credentialHash(db, user.id);

    const slug = `sales-${randomBytes(3).toString("hex")}`;
    const [sales] = await db.insert(workspaces).values({ slug, name: "Sales" }).returning();
    const create = ["create", "--email", "asha@example.com", "--name", "Asha", "--role", "viewer"];
    // Whoever set the account's password may not be the person the operator means: refused, saying why.
    const before = await tableCounts(db);
    const refused = await cli([...create, "--workspace", slug], "");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /asha@example\.com already has an account, created \d{4}-\d\d-\d\d, whose password was set by its holder, not by you/,
    );
    expect(refused.stderr).toMatch(/--existing-account/);
    expect(refused.stderr).toMatch(
      /Its email is not verified: nothing shows that its holder reads asha@example\.com\./,
    );
    expect(await tableCounts(db)).toEqual(before);

    const again = await cli([...create, "--existing-account"], "");
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already a member/);

    await db.insert(sessions).values({
      token: randomBytes(16).toString("hex"),
      userId: user.id,
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    const joined = await cli([...create, "--workspace", slug, "--existing-account"], "");
    expect(joined.code).toBe(0);
    expect(joined.stdout).toMatch(/1 session ended\. Its password is the one its holder set, unchanged\./);
    expect(joined.stdout).toMatch(/Its email is not verified/);
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
    const [membership] = await db
      .select()
      .from(memberships)
      .where(and(eq(memberships.userId, user.id), eq(memberships.workspaceId, sales?.id ?? "")));
    expect(membership?.role).toBe("viewer");
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.workspaceId, sales?.id ?? ""));
    expect(entry).toMatchObject({
      action: "member.joined",
      actorLabel: "operator (CLI)",
      details: { role: "viewer", existingAccount: true, emailVerified: false, sessionsEnded: 1 },
    });
    expect(await credentialHash(db, user.id)).toBe(hashBefore);

    const nowhere = await cli(
      ["create", "--email", "x@example.com", "--name", "X", "--role", "viewer", "--workspace", "nope"],
      `${password}\n`,
    );
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(/No workspace has the slug "nope"/);
  });

  it("creates a workspace with its owner in one go (--new-workspace), the way a closed server makes one", async ({
    db,
  }) => {
    const email = `founder.${randomBytes(3).toString("hex")}@example.com`;
    const base = ["create", "--email", email, "--name", "Founder"];
    const notOwner = await cli([...base, "--role", "admin", "--new-workspace", "Sales"], `${password}\n`);
    expect(notOwner.code).toBe(1);
    expect(notOwner.stderr).toMatch(/--new-workspace: its first member is its owner/);
    const both = await cli([...base, "--role", "owner", "--new-workspace", "Sales", "--workspace", "x"], "");
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/not both/);

    const made = await cli([...base, "--role", "owner", "--new-workspace", "Sales Team"], `${password}\n`);
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/as owner of "Sales Team" \(a new workspace, slug sales-team-[0-9a-f]{6}\)/);
    const [user] = await db.select().from(users).where(eq(users.email, email));
    const [membership] = await db
      .select()
      .from(memberships)
      .where(eq(memberships.userId, user?.id ?? ""));
    expect(membership?.role).toBe("owner");
    const entries = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.workspaceId, membership?.workspaceId ?? ""));
    expect(entries.map((e) => e.action).sort()).toEqual(["user.created", "workspace.created"]);
  });

  it("resets a password: new hash, every session ended, an audit entry in each workspace", async ({ db }) => {
    const [user] = await db.select().from(users).where(eq(users.email, "asha@example.com"));
    if (!user) throw new Error("run the create test first");
    const expiresAt = new Date(Date.now() + 86_400_000);
    await db.insert(sessions).values([
      { token: randomBytes(16).toString("hex"), userId: user.id, expiresAt },
      { token: randomBytes(16).toString("hex"), userId: user.id, expiresAt },
    ]);
    const fresh = "a brand new passphrase";

    const result = await cli(
      ["reset-password", "--email", "ASHA@example.com"],
      `${fresh}\r\nignored second line\n`,
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/2 sessions ended/);
    expect(result.stdout).not.toContain(fresh);

    const hash = await credentialHash(db, user.id);
    expect(await verifyPassword({ hash, password: fresh })).toBe(true);
    expect(await verifyPassword({ hash, password })).toBe(false);
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
    const entries = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "user.password_reset"), eq(auditLog.targetId, user.id)));
    const workspaceIds = (await db.select().from(memberships).where(eq(memberships.userId, user.id))).map(
      (m) => m.workspaceId,
    );
    expect(workspaceIds).toHaveLength(2);
    expect(entries.map((e) => e.workspaceId).sort()).toEqual(workspaceIds.sort());
  });

  it("refuses an unknown email or a short password on reset, changing nothing", async ({ db }) => {
    const [user] = await db.select().from(users).where(eq(users.email, "asha@example.com"));
    const hashBefore = await credentialHash(db, user?.id ?? "");
    const before = await tableCounts(db);
    const unknown = await cli(["reset-password", "--email", "nobody@example.com"], `${password}\n`);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No account has the email nobody@example\.com/);
    const short = await cli(["reset-password", "--email", "asha@example.com"], "short\n");
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/at least 12 characters/);
    expect(await tableCounts(db)).toEqual(before);
    expect(await credentialHash(db, user?.id ?? "")).toBe(hashBefore);
  });
});
