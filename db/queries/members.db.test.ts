import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect } from "vitest";
import { auditLog, memberships } from "@/db/access-schema";
import { getDb } from "@/db/index";
import type { Role } from "@/lib/roles";
import { test as dbTest } from "@/testing/db-test";
import { type AuditContext, actorLabel } from "./audit-log";
import { changeMemberRole, insertWorkspace, listMembers, removeMember, renameWorkspace } from "./members";
import type { insertUser } from "./users";
import { getDefaultWorkspace } from "./workspaces";

type Person = Awaited<ReturnType<typeof insertUser>>;

/** `workspaceWith(...roles)`: a workspace owned by a new person, with more members at the given roles. */
const it = dbTest.extend(
  "workspaceWith",
  { scope: "file" },
  async ({ db, members: { makeUser } }) =>
    async <R extends Role[]>(...others: R) => {
      const owner = await makeUser("Owner");
      const workspace = await insertWorkspace(db, `Workspace ${randomBytes(2).toString("hex")}`, owner.id);
      const members: Person[] = [];
      for (const [i, role] of others.entries()) {
        const user = await makeUser(`Member ${i}`);
        await db.insert(memberships).values({ workspaceId: workspace.id, userId: user.id, role });
        members.push(user);
      }
      const context = (actor = owner): AuditContext => ({
        workspaceId: workspace.id,
        actorId: actor.id,
        actorLabel: actorLabel(actor),
        ipAddress: "203.0.113.7",
        userAgent: "vitest",
      });
      return { workspace, owner, members: members as { [K in keyof R]: Person }, context };
    },
);

async function roleOf(workspaceId: string, userId: string) {
  const db = await getDb();
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  return row?.role;
}

async function auditOf(workspaceId: string) {
  const db = await getDb();
  return db.select().from(auditLog).where(eq(auditLog.workspaceId, workspaceId));
}

describe("the last owner", () => {
  it("cannot be demoted, and nothing is written", async ({ workspaceWith }) => {
    const { workspace, owner, context } = await workspaceWith("admin");
    await expect(changeMemberRole(context(), owner.id, "admin")).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/last owner cannot be demoted/),
    });
    expect(await roleOf(workspace.id, owner.id)).toBe("owner");
    expect(await auditOf(workspace.id)).toEqual([]);
  });

  it("cannot be removed, and nothing is written", async ({ workspaceWith }) => {
    const { workspace, owner, context } = await workspaceWith("viewer");
    await expect(removeMember(context(), owner.id)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/last owner cannot be removed/),
    });
    expect(await roleOf(workspace.id, owner.id)).toBe("owner");
    expect(await auditOf(workspace.id)).toEqual([]);
  });

  it("with a second owner, one can be demoted; then the other is the last", async ({ workspaceWith }) => {
    const { workspace, owner, members, context } = await workspaceWith("owner");
    const second = members[0];
    await changeMemberRole(context(), owner.id, "viewer");
    expect(await roleOf(workspace.id, owner.id)).toBe("viewer");
    await expect(changeMemberRole(context(second), second.id, "admin")).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(removeMember(context(second), second.id)).rejects.toMatchObject({ code: "conflict" });
    expect(await roleOf(workspace.id, second.id)).toBe("owner");
  });

  it("with a second owner, one can be removed", async ({ workspaceWith }) => {
    const { workspace, owner, members, context } = await workspaceWith("owner");
    await removeMember(context(members[0]), owner.id);
    expect(await roleOf(workspace.id, owner.id)).toBeUndefined();
    expect((await listMembers(workspace.id)).map((m) => m.userId)).toEqual([members[0].id]);
  });

  it("stays when two owners demote each other at the same time", async ({ workspaceWith }) => {
    const { workspace, owner, members, context } = await workspaceWith("owner");
    const second = members[0];
    const results = await Promise.allSettled([
      changeMemberRole(context(owner), second.id, "admin"),
      changeMemberRole(context(second), owner.id, "admin"),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected")).toMatchObject([{ reason: { code: "conflict" } }]);
    const roles = [await roleOf(workspace.id, owner.id), await roleOf(workspace.id, second.id)];
    expect(roles.sort()).toEqual(["admin", "owner"]);
  });
});

describe("changing roles and removing members", () => {
  it("records a role change in the audit log with who, from where, from and to", async ({
    workspaceWith,
  }) => {
    const { workspace, owner, members, context } = await workspaceWith("viewer");
    const viewer = members[0];
    await changeMemberRole(context(), viewer.id, "admin");
    expect(await roleOf(workspace.id, viewer.id)).toBe("admin");
    expect(await auditOf(workspace.id)).toMatchObject([
      {
        action: "member.role_changed",
        actorId: owner.id,
        actorLabel: actorLabel(owner),
        ipAddress: "203.0.113.7",
        userAgent: "vitest",
        targetType: "user",
        targetId: viewer.id,
        targetLabel: viewer.email,
        details: { from: "viewer", to: "admin" },
      },
    ]);
  });

  it("writes nothing when the role is already the one asked for", async ({ workspaceWith }) => {
    const { workspace, members, context } = await workspaceWith("admin");
    await changeMemberRole(context(), members[0].id, "admin");
    expect(await auditOf(workspace.id)).toEqual([]);
  });

  it("records a removal in the audit log", async ({ workspaceWith }) => {
    const { workspace, members, context } = await workspaceWith("admin", "viewer");
    const [admin, viewer] = members;
    await removeMember(context(), admin.id);
    expect((await listMembers(workspace.id)).map((m) => m.userId)).not.toContain(admin.id);
    expect(await roleOf(workspace.id, viewer.id)).toBe("viewer");
    expect(await auditOf(workspace.id)).toMatchObject([
      {
        action: "member.removed",
        targetId: admin.id,
        targetLabel: admin.email,
        details: { role: "admin" },
      },
    ]);
  });

  it("treats a member of another workspace as not found, and writes nothing", async ({ workspaceWith }) => {
    const mine = await workspaceWith();
    const theirs = await workspaceWith("admin");
    const stranger = theirs.members[0];
    await expect(changeMemberRole(mine.context(), stranger.id, "viewer")).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(removeMember(mine.context(), stranger.id)).rejects.toMatchObject({ code: "not_found" });
    expect(await roleOf(theirs.workspace.id, stranger.id)).toBe("admin");
    expect(await auditOf(mine.workspace.id)).toEqual([]);
    expect(await auditOf(theirs.workspace.id)).toEqual([]);
  });
});

describe("listMembers", () => {
  it("lists owners first, then admins, then viewers, with their emails", async ({ workspaceWith }) => {
    const { workspace, owner, members } = await workspaceWith("viewer", "admin");
    const listed = await listMembers(workspace.id);
    expect(listed.map((m) => m.role)).toEqual(["owner", "admin", "viewer"]);
    expect(listed[0]).toMatchObject({ userId: owner.id, email: owner.email, name: "Owner" });
    expect(listed.map((m) => m.userId)).toEqual([owner.id, members[1].id, members[0].id]);
  });
});

describe("renameWorkspace", () => {
  it("renames the workspace and records the old and new names", async ({ db, members }) => {
    const owner = await members.makeUser("Default Owner");
    const workspace = await getDefaultWorkspace();
    await db.insert(memberships).values({ workspaceId: workspace.id, userId: owner.id, role: "owner" });
    const context: AuditContext = {
      workspaceId: workspace.id,
      actorId: owner.id,
      actorLabel: actorLabel(owner),
      ipAddress: null,
      userAgent: null,
    };
    await renameWorkspace(context, "Acme Lending");
    expect((await getDefaultWorkspace()).name).toBe("Acme Lending");
    expect(await auditOf(workspace.id)).toMatchObject([
      { action: "workspace.renamed", details: { from: workspace.name, to: "Acme Lending" } },
    ]);
  });
});
