import "server-only";
import { randomBytes } from "node:crypto";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { AppError, messages } from "@/lib/errors";
import type { Role } from "@/lib/roles";
import { memberships, users } from "../access-schema";
import { type Executor, getDb } from "../index";
import { workspaces } from "../schema";
import { type AuditContext, actorLabel, recordAudit } from "./audit-log";
import { withdrawInvitationsBeyond } from "./invitations";
import { insertUser } from "./users";

export type WorkspaceOfUser = { id: string; name: string; role: Role };

/** The workspaces a person belongs to, oldest membership first. */
export async function listWorkspacesOf(userId: string): Promise<WorkspaceOfUser[]> {
  const db = await getDb();
  return db
    .select({ id: workspaces.id, name: workspaces.name, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(workspaces.name));
}

function slugFor(name: string): string {
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40);
  return `${base || "workspace"}-${randomBytes(3).toString("hex")}`;
}

/** A workspace with nobody in it yet; its owner is added in the same transaction. */
export async function insertEmptyWorkspace(exec: Executor, name: string) {
  const [workspace] = await exec
    .insert(workspaces)
    .values({ name, slug: slugFor(name) })
    .returning();
  if (!workspace) throw new Error("The workspace could not be created");
  return workspace;
}

/** A new workspace with `ownerId` as its owner. */
export async function insertWorkspace(exec: Executor, name: string, ownerId: string) {
  const workspace = await insertEmptyWorkspace(exec, name);
  await exec.insert(memberships).values({ workspaceId: workspace.id, userId: ownerId, role: "owner" });
  return workspace;
}

/**
 * First run: the owner account and its workspace. The workspace the seed filled (one nobody belongs to
 * yet) becomes theirs, renamed; otherwise a new one is made. Refused once anyone has an account.
 */
export async function createOwnerAccount(
  input: { name: string; email: string; passwordHash: string; workspaceName: string },
  request: { ipAddress: string | null; userAgent: string | null },
) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('leadhook:first-run'))`);
    const [existing] = await tx.select({ n: count() }).from(users);
    if ((existing?.n ?? 0) > 0) {
      throw new AppError("conflict", messages.ownerExists);
    }
    const user = await insertUser(tx, input);
    const [unclaimed] = await tx
      .select()
      .from(workspaces)
      .where(
        sql`not exists (select 1 from ${memberships} where ${memberships.workspaceId} = ${workspaces.id})`,
      )
      .orderBy(asc(workspaces.createdAt))
      .limit(1);
    let workspace: typeof unclaimed;
    if (unclaimed) {
      [workspace] = await tx
        .update(workspaces)
        .set({ name: input.workspaceName, updatedAt: sql`now()` })
        .where(eq(workspaces.id, unclaimed.id))
        .returning();
      await tx.insert(memberships).values({ workspaceId: unclaimed.id, userId: user.id, role: "owner" });
    } else {
      workspace = await insertWorkspace(tx, input.workspaceName, user.id);
    }
    if (!workspace) throw new Error("The workspace could not be claimed");
    await recordAudit(
      tx,
      { workspaceId: workspace.id, actorId: user.id, actorLabel: actorLabel(user), ...request },
      {
        action: "workspace.created",
        targetType: "workspace",
        targetId: workspace.id,
        targetLabel: workspace.name,
      },
      {
        action: "member.joined",
        targetType: "user",
        targetId: user.id,
        targetLabel: user.email,
        details: { role: "owner" },
      },
    );
    return { user, workspace };
  });
}

/** A workspace of one's own (anyone signed in may start one). */
export async function createWorkspace(context: Omit<AuditContext, "workspaceId">, name: string) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    if (!context.actorId) throw new Error("A workspace needs an owner");
    const workspace = await insertWorkspace(tx, name, context.actorId);
    await recordAudit(
      tx,
      { ...context, workspaceId: workspace.id },
      { action: "workspace.created", targetType: "workspace", targetId: workspace.id, targetLabel: name },
    );
    return workspace;
  });
}

export async function renameWorkspace(context: AuditContext, name: string) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(workspaces).where(eq(workspaces.id, context.workspaceId));
    if (!before) throw new AppError("not_found", "This workspace no longer exists.");
    await tx
      .update(workspaces)
      .set({ name, updatedAt: sql`now()` })
      .where(eq(workspaces.id, context.workspaceId));
    await recordAudit(tx, context, {
      action: "workspace.renamed",
      targetType: "workspace",
      targetId: before.id,
      targetLabel: name,
      details: { from: before.name, to: name },
    });
  });
}

/** The members of a workspace, owners first. */
export async function listMembers(workspaceId: string) {
  const db = await getDb();
  return db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      emailVerified: users.emailVerified,
      role: memberships.role,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(
      sql`array_position(array['owner','admin','viewer']::member_role[], ${memberships.role})`,
      asc(users.name),
    );
}

/**
 * Locks the workspace's owner rows and the target's membership. Two owners demoting each other at once
 * queue here, so the second sees the first's change and the last owner always stays.
 */
async function lockMembership(tx: Executor, workspaceId: string, userId: string) {
  const owners = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.role, "owner")))
    .for("update");
  const [target] = await tx
    .select({ role: memberships.role, name: users.name, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)))
    .for("update", { of: memberships });
  if (!target) throw new AppError("not_found", messages.notAMember);
  const isLastOwner = target.role === "owner" && owners.length === 1;
  return { target, isLastOwner };
}

export async function changeMemberRole(context: AuditContext, userId: string, role: Role) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const { target, isLastOwner } = await lockMembership(tx, context.workspaceId, userId);
    if (target.role === role) return;
    if (isLastOwner) {
      throw new AppError("conflict", "The last owner cannot be demoted. Make someone else an owner first.");
    }
    await tx
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.workspaceId, context.workspaceId), eq(memberships.userId, userId)));
    await withdrawInvitationsBeyond(tx, context, userId, role);
    await recordAudit(tx, context, {
      action: "member.role_changed",
      targetType: "user",
      targetId: userId,
      targetLabel: target.email,
      details: { from: target.role, to: role },
    });
  });
}

export async function removeMember(context: AuditContext, userId: string) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const { target, isLastOwner } = await lockMembership(tx, context.workspaceId, userId);
    if (isLastOwner) {
      throw new AppError("conflict", "The last owner cannot be removed. Make someone else an owner first.");
    }
    await tx
      .delete(memberships)
      .where(and(eq(memberships.workspaceId, context.workspaceId), eq(memberships.userId, userId)));
    await withdrawInvitationsBeyond(tx, context, userId, null);
    await recordAudit(tx, context, {
      action: "member.removed",
      targetType: "user",
      targetId: userId,
      targetLabel: target.email,
      details: { role: target.role },
    });
  });
}
