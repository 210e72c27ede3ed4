import { randomBytes } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect } from "vitest";
import { auditLog, invitations, memberships, users, verifications } from "@/db/access-schema";
import { getDb } from "@/db/index";
import { test as dbTest } from "@/testing/db-test";
import { type AuditContext, actorLabel } from "./audit-log";
import { acceptInvitation, findInvitation } from "./invitation-links";
import { createInvitation, listPendingInvitations, revokeInvitation } from "./invitations";
import { changeMemberRole, insertWorkspace, removeMember } from "./members";
import { claimVerificationMail, insertUser } from "./users";

const request = { ipAddress: "198.51.100.4", userAgent: "vitest" };

function freshEmail(): string {
  return `person.${randomBytes(4).toString("hex")}@example.com`;
}

type Person = Awaited<ReturnType<typeof insertUser>>;

const it = dbTest
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
  .extend("passwordHash", { scope: "file" }, async ({}) => hashPassword("correct horse battery staple"))
  /** A person with an account (at a new email unless one is given), in no workspace. */
  .extend(
    "makeUser",
    { scope: "file" },
    async ({ db, passwordHash }) =>
      (name: string, email = freshEmail()) =>
        insertUser(db, { name, email, passwordHash }),
  )
  /** The new account an invitation's link asks for. */
  .extend("newUser", { scope: "file" }, async ({ passwordHash }) => (name = "New Person") => ({
    newUser: { name, passwordHash },
  }))
  /** Asha Rao, owner of the default workspace, who invites everyone below. */
  .extend("owner", { scope: "file" }, async ({ db, workspaceId, makeUser }) => {
    const owner = await makeUser("Asha Rao");
    await db.insert(memberships).values({ workspaceId, userId: owner.id, role: "owner" });
    return owner;
  })
  .extend(
    "context",
    { scope: "file" },
    async ({ workspaceId, owner }): Promise<AuditContext> => ({
      workspaceId,
      actorId: owner.id,
      actorLabel: actorLabel(owner),
      ipAddress: "203.0.113.7",
      userAgent: "vitest",
    }),
  );

async function usersWithEmail(email: string) {
  const db = await getDb();
  return db.select().from(users).where(eq(users.email, email.toLowerCase()));
}

async function membershipsOf(userId: string) {
  const db = await getDb();
  return db.select().from(memberships).where(eq(memberships.userId, userId));
}

async function auditFor(context: AuditContext, targetLabel: string) {
  const db = await getDb();
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.workspaceId, context.workspaceId), eq(auditLog.targetLabel, targetLabel)));
}

describe("createInvitation", () => {
  it("keeps only the token's hash and records the invitation", async ({ owner, context }) => {
    const email = freshEmail();
    const { token, invitation } = await createInvitation(context, {
      email: email.toUpperCase(),
      role: "admin",
    });
    expect(invitation).toMatchObject({ email, role: "admin", invitedBy: owner.id });
    expect(invitation.tokenHash).not.toContain(token);
    expect(await findInvitation(token)).toMatchObject({ state: "valid", invitedBy: "Asha Rao" });
    expect(await auditFor(context, email)).toMatchObject([
      { action: "member.invited", details: { role: "admin" } },
    ]);
  });

  it("refuses to invite someone who is already a member", async ({ owner, context }) => {
    await expect(
      createInvitation(context, { email: owner.email.toUpperCase(), role: "viewer" }),
    ).rejects.toMatchObject({ code: "invalid_request", fieldErrors: { email: expect.any(String) } });
    expect((await listPendingInvitations(context.workspaceId)).map((i) => i.email)).not.toContain(
      owner.email,
    );
  });

  it("does not let an admin replace an owner's pending owner invitation", async ({ context }) => {
    const email = freshEmail();
    const owners = await createInvitation(context, { email, role: "owner" });
    await expect(
      createInvitation(context, { email, role: "viewer", replaceable: ["admin", "viewer"] }),
    ).rejects.toMatchObject({ code: "forbidden" });
    expect(await findInvitation(owners.token)).toMatchObject({ state: "valid" });
  });

  it("withdraws the older pending invitation when the same email is invited again", async ({
    newUser,
    context,
  }) => {
    const email = freshEmail();
    const first = await createInvitation(context, { email, role: "viewer" });
    const second = await createInvitation(context, { email, role: "admin" });
    expect(await findInvitation(first.token)).toMatchObject({ state: "revoked" });
    expect(await findInvitation(second.token)).toMatchObject({ state: "valid" });
    const pending = (await listPendingInvitations(context.workspaceId)).filter((i) => i.email === email);
    expect(pending).toMatchObject([{ id: second.invitation.id, role: "admin", invitedBy: "Asha Rao" }]);
    await expect(acceptInvitation(first.token, newUser(), request)).rejects.toMatchObject({
      code: "conflict",
    });
    expect(await usersWithEmail(email)).toEqual([]);
  });
});

describe("mailed invitations", () => {
  it("are sent before they commit: a refused mail leaves nothing, not even the invitation it replaced", async ({
    context,
  }) => {
    const email = freshEmail();
    const earlier = await createInvitation(context, { email, role: "viewer" });
    const sent: string[] = [];
    await expect(
      createInvitation(context, {
        email,
        role: "admin",
        mail: async (token) => {
          sent.push(token);
          throw new Error("550 no such user");
        },
      }),
    ).rejects.toThrow("550 no such user");
    expect(sent).toHaveLength(1);
    expect(await findInvitation(sent[0] as string)).toBeUndefined();
    expect(await findInvitation(earlier.token)).toMatchObject({ state: "valid" });
    expect((await auditFor(context, email)).map((e) => e.action)).toEqual(["member.invited"]);
  });

  it("verify the email of whoever accepts one; a link shown to the inviter verifies nothing", async ({
    newUser,
    context,
  }) => {
    const mailed = freshEmail();
    let mailedToken = "";
    const { invitation } = await createInvitation(context, {
      email: mailed,
      role: "viewer",
      mail: async (token) => {
        mailedToken = token;
      },
    });
    expect(invitation.mailed).toBe(true);
    expect(await auditFor(context, mailed)).toMatchObject([{ details: { role: "viewer", mailed: true } }]);
    await acceptInvitation(mailedToken, newUser(), request);
    expect(await usersWithEmail(mailed)).toMatchObject([{ emailVerified: true }]);

    const shown = freshEmail();
    const link = await createInvitation(context, { email: shown, role: "viewer" });
    expect(link.invitation.mailed).toBe(false);
    await acceptInvitation(link.token, newUser(), request);
    expect(await usersWithEmail(shown)).toMatchObject([{ emailVerified: false }]);
  });

  it("verify an existing account that joins through one", async ({ makeUser, context }) => {
    const person = await makeUser("Existing Person");
    let mailedToken = "";
    await createInvitation(context, {
      email: person.email,
      role: "viewer",
      mail: async (token) => {
        mailedToken = token;
      },
    });
    expect(await usersWithEmail(person.email)).toMatchObject([{ emailVerified: false }]);
    await acceptInvitation(mailedToken, { userId: person.id }, request);
    expect(await usersWithEmail(person.email)).toMatchObject([{ emailVerified: true }]);
  });
});

describe("claimVerificationMail", () => {
  it("allows one verification mail per account per period, across racing requests", async ({
    db,
    makeUser,
  }) => {
    const person = await makeUser("Mailbox Owner");
    const other = await makeUser("Someone Else");
    const claims = await Promise.all(Array.from({ length: 5 }, () => claimVerificationMail(person.id, 60)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await claimVerificationMail(other.id, 60)).toBe(true);
    // Once the period is over, the next one goes out.
    await db
      .update(verifications)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(verifications.identifier, `verification-mail:${person.id}`));
    expect(await claimVerificationMail(person.id, 60)).toBe(true);
  });
});

describe("acceptInvitation", () => {
  it("works once: a second use is refused and leaves one membership", async ({ newUser, context }) => {
    const email = freshEmail();
    const { token } = await createInvitation(context, { email, role: "admin" });
    const { user, workspaceId } = await acceptInvitation(token, newUser("Ravi Kumar"), request);
    expect(user).toMatchObject({ name: "Ravi Kumar", email });
    expect(workspaceId).toBe(context.workspaceId);
    expect(await membershipsOf(user.id)).toMatchObject([{ workspaceId, role: "admin" }]);
    expect(await findInvitation(token)).toMatchObject({ state: "used" });

    await expect(acceptInvitation(token, newUser("Someone Else"), request)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/already used/),
    });
    await expect(acceptInvitation(token, { userId: user.id }, request)).rejects.toMatchObject({
      code: "conflict",
    });
    expect(await usersWithEmail(email)).toHaveLength(1);
    expect(await membershipsOf(user.id)).toHaveLength(1);
    expect(await auditFor(context, email)).toMatchObject(
      expect.arrayContaining([
        expect.objectContaining({ action: "member.joined", actorId: user.id, ipAddress: "198.51.100.4" }),
      ]),
    );
  });

  it("refuses an expired invitation and creates no account", async ({ db, newUser, context }) => {
    const email = freshEmail();
    const { token, invitation } = await createInvitation(context, { email, role: "viewer" });
    await db
      .update(invitations)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(invitations.id, invitation.id));
    expect(await findInvitation(token)).toMatchObject({ state: "expired" });
    await expect(acceptInvitation(token, newUser(), request)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/expired/),
    });
    expect(await usersWithEmail(email)).toEqual([]);
    expect((await listPendingInvitations(context.workspaceId)).map((i) => i.id)).not.toContain(invitation.id);
  });

  it("refuses a withdrawn invitation and creates no account", async ({ newUser, context }) => {
    const email = freshEmail();
    const { token, invitation } = await createInvitation(context, { email, role: "viewer" });
    await revokeInvitation(context, invitation.id);
    expect(await findInvitation(token)).toMatchObject({ state: "revoked" });
    await expect(acceptInvitation(token, newUser(), request)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/withdrawn/),
    });
    expect(await usersWithEmail(email)).toEqual([]);
    expect(await auditFor(context, email)).toMatchObject(
      expect.arrayContaining([expect.objectContaining({ action: "invitation.revoked" })]),
    );
  });

  it("lets the signed-in person the invitation names join with their account", async ({
    makeUser,
    context,
  }) => {
    const existing = await makeUser("Meera Shah");
    const { token } = await createInvitation(context, { email: existing.email, role: "viewer" });
    const { user } = await acceptInvitation(token, { userId: existing.id }, request);
    expect(user.id).toBe(existing.id);
    expect(await membershipsOf(existing.id)).toMatchObject([
      { workspaceId: context.workspaceId, role: "viewer" },
    ]);
  });

  it("refuses an account with a different email, and the link stays usable", async ({
    makeUser,
    context,
  }) => {
    const invited = await makeUser("Invited Person");
    const other = await makeUser("Other Person");
    const { token } = await createInvitation(context, { email: invited.email, role: "admin" });
    await expect(acceptInvitation(token, { userId: other.id }, request)).rejects.toMatchObject({
      code: "invalid_request",
      message: expect.stringContaining(invited.email),
    });
    expect(await membershipsOf(other.id)).toEqual([]);
    expect(await findInvitation(token)).toMatchObject({ state: "valid" });
  });

  it("refuses a new account for an email that already has one, and the link stays usable", async ({
    makeUser,
    newUser,
    context,
  }) => {
    const existing = await makeUser("Already Here");
    const { token } = await createInvitation(context, { email: existing.email, role: "viewer" });
    await expect(acceptInvitation(token, newUser(), request)).rejects.toMatchObject({ code: "conflict" });
    expect(await usersWithEmail(existing.email)).toHaveLength(1);
    expect(await findInvitation(token)).toMatchObject({ state: "valid" });
  });

  it("gives exactly one success when two requests accept one link at once", async ({ newUser, context }) => {
    const email = freshEmail();
    const { token } = await createInvitation(context, { email, role: "viewer" });
    const results = await Promise.allSettled([
      acceptInvitation(token, newUser("Tab One"), request),
      acceptInvitation(token, newUser("Tab Two"), request),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected")).toMatchObject([{ reason: { code: "conflict" } }]);
    const created = await usersWithEmail(email);
    expect(created).toHaveLength(1);
    expect(await membershipsOf(created[0]?.id ?? "")).toHaveLength(1);
  });

  it("gives exactly one success when one account accepts one link twice at once", async ({
    makeUser,
    context,
  }) => {
    // No unique email to fall back on here: only the lock on the invitation row spends the link once.
    const existing = await makeUser("Double Click");
    const { token } = await createInvitation(context, { email: existing.email, role: "admin" });
    const results = await Promise.allSettled([
      acceptInvitation(token, { userId: existing.id }, request),
      acceptInvitation(token, { userId: existing.id }, request),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected")).toMatchObject([{ reason: { code: "conflict" } }]);
    expect(await membershipsOf(existing.id)).toHaveLength(1);
    const joined = (await auditFor(context, existing.email)).filter((e) => e.action === "member.joined");
    expect(joined).toHaveLength(1);
  });
});

describe("revokeInvitation and findInvitation", () => {
  it("treats an invitation of another workspace as not found", async ({ db, makeUser, context }) => {
    const stranger = await makeUser("Other Owner");
    const theirs = await insertWorkspace(db, "Other workspace", stranger.id);
    const { token, invitation } = await createInvitation(
      { ...context, workspaceId: theirs.id, actorId: stranger.id, actorLabel: actorLabel(stranger) },
      { email: freshEmail(), role: "viewer" },
    );
    await expect(revokeInvitation(context, invitation.id)).rejects.toMatchObject({ code: "not_found" });
    expect(await findInvitation(token)).toMatchObject({ state: "valid", workspaceName: "Other workspace" });
    expect((await listPendingInvitations(context.workspaceId)).map((i) => i.id)).not.toContain(invitation.id);
  });

  it("knows nothing of a token it never issued, or of a malformed one", async ({ newUser }) => {
    expect(await findInvitation(randomBytes(32).toString("base64url"))).toBeUndefined();
    expect(await findInvitation("not a token")).toBeUndefined();
    await expect(
      acceptInvitation(randomBytes(32).toString("base64url"), newUser(), request),
    ).rejects.toMatchObject({
      code: "not_found",
    });
  });
});

describe("an inviter's pending invitations", () => {
  async function adminWithInvitations(context: AuditContext, makeUser: (name: string) => Promise<Person>) {
    const admin = await makeUser("Inviting Admin");
    await (await getDb())
      .insert(memberships)
      .values({ workspaceId: context.workspaceId, userId: admin.id, role: "admin" });
    const asAdmin = { ...context, actorId: admin.id, actorLabel: actorLabel(admin) };
    const forAdmin = await createInvitation(asAdmin, { email: freshEmail(), role: "admin" });
    const forViewer = await createInvitation(asAdmin, { email: freshEmail(), role: "viewer" });
    return { admin, forAdmin, forViewer };
  }

  it("are withdrawn when the inviter is removed, so they cannot let them back in", async ({
    makeUser,
    context,
  }) => {
    const { admin, forAdmin, forViewer } = await adminWithInvitations(context, makeUser);
    await removeMember(context, admin.id);
    expect(await findInvitation(forAdmin.token)).toMatchObject({ state: "revoked" });
    expect(await findInvitation(forViewer.token)).toMatchObject({ state: "revoked" });
    expect(await auditFor(context, forAdmin.invitation.email)).toContainEqual(
      expect.objectContaining({
        action: "invitation.revoked",
        details: expect.objectContaining({ role: "admin" }),
      }),
    );
  });

  it("above what a demoted inviter may hand out are withdrawn; the rest stand", async ({
    makeUser,
    context,
  }) => {
    const { admin, forAdmin, forViewer } = await adminWithInvitations(context, makeUser);
    await changeMemberRole(context, admin.id, "viewer");
    expect(await findInvitation(forAdmin.token)).toMatchObject({ state: "revoked" });
    expect(await findInvitation(forViewer.token)).toMatchObject({ state: "revoked" });
    const other = await adminWithInvitations(context, makeUser);
    await changeMemberRole(context, other.admin.id, "owner");
    expect(await findInvitation(other.forAdmin.token)).toMatchObject({ state: "valid" });
  });

  it("cannot be spent by someone who is already a member: the link stays and the role is unchanged", async ({
    db,
    makeUser,
    context,
  }) => {
    const member = await makeUser("Already Member");
    await db
      .insert(memberships)
      .values({ workspaceId: context.workspaceId, userId: member.id, role: "viewer" });
    // Invited before joining some other way.
    await db.delete(memberships).where(eq(memberships.userId, member.id));
    const { token } = await createInvitation(context, { email: member.email, role: "admin" });
    await db
      .insert(memberships)
      .values({ workspaceId: context.workspaceId, userId: member.id, role: "viewer" });
    await expect(acceptInvitation(token, { userId: member.id }, request)).rejects.toMatchObject({
      code: "conflict",
    });
    expect(await membershipsOf(member.id)).toMatchObject([{ role: "viewer" }]);
    expect(await findInvitation(token)).toMatchObject({ state: "valid" });
  });
});
