import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/roles";
import { accounts, memberships, sessions, users } from "../access-schema";
import { getDb, type Transaction } from "../index";
import { workspaces } from "../schema";
import { operatorContext, recordAudit } from "./audit-log";
import { insertEmptyWorkspace } from "./members";
import { insertUser } from "./users";

// What the operator scripts (db/users-cli.ts) do to accounts, each in one transaction with its audit entry.

/** The workspace an operator script names with `--workspace <slug>`; undefined when none has it. */
export async function findWorkspaceBySlug(slug: string) {
  const db = await getDb();
  const [workspace] = await db.select().from(workspaces).where(eq(workspaces.slug, slug));
  return workspace;
}

/**
 * `users:create`: adds the membership (and its audit entry) in one transaction, creating the person too
 * when the email is new. An existing person keeps their password and has every session ended (the
 * operator confirmed them with --existing-account); a new one needs `passwordHash`.
 * Throws AppError "conflict" when they are already a member or were removed while the script ran.
 */
export async function addMemberAsOperator(
  target: { id: string; name: string } | { newWorkspace: string },
  person: { email: string; name: string; role: Role; passwordHash?: string },
): Promise<{
  created: boolean;
  email: string;
  /** Whether the account's holder proved the address (a link mailed to it); false for a new account. */
  emailVerified: boolean;
  sessionsEnded: number;
  workspace: { slug: string; name: string };
}> {
  const { email, name, role, passwordHash } = person;
  const db = await getDb();
  return db.transaction(async (tx) => {
    // A new workspace (the one way to make one on a server with WORKSPACE_CREATION=closed) is made in the
    // same transaction as its owner's membership: never a workspace without an owner.
    const workspace =
      "newWorkspace" in target
        ? await insertEmptyWorkspace(tx, target.newWorkspace)
        : await workspaceOf(tx, target.id);
    const context = operatorContext(workspace.id);
    if ("newWorkspace" in target) {
      await recordAudit(tx, context, {
        action: "workspace.created",
        targetType: "workspace",
        targetId: workspace.id,
        targetLabel: workspace.name,
      });
    }
    const [user] = await tx.select().from(users).where(eq(users.email, email)).for("update");
    if (user) {
      const [member] = await tx
        .select()
        .from(memberships)
        .where(and(eq(memberships.workspaceId, workspace.id), eq(memberships.userId, user.id)));
      if (member) {
        throw new AppError(
          "conflict",
          `${email} is already a member of "${workspace.name}" (${member.role}).`,
        );
      }
      await tx.insert(memberships).values({ workspaceId: workspace.id, userId: user.id, role });
      const ended = await tx
        .delete(sessions)
        .where(eq(sessions.userId, user.id))
        .returning({ id: sessions.id });
      await recordAudit(tx, context, {
        action: "member.joined",
        targetType: "user",
        targetId: user.id,
        targetLabel: user.email,
        details: {
          role,
          existingAccount: true,
          emailVerified: user.emailVerified,
          sessionsEnded: ended.length,
        },
      });
      return {
        created: false,
        email,
        emailVerified: user.emailVerified,
        sessionsEnded: ended.length,
        workspace,
      };
    }
    if (!passwordHash) {
      throw new AppError("conflict", `${email} was removed while this ran. Run the command again.`);
    }
    const created = await insertUser(tx, { name, email, passwordHash });
    await tx.insert(memberships).values({ workspaceId: workspace.id, userId: created.id, role });
    await recordAudit(tx, context, {
      action: "user.created",
      targetType: "user",
      targetId: created.id,
      targetLabel: created.email,
      details: { role },
    });
    return { created: true, email: created.email, emailVerified: false, sessionsEnded: 0, workspace };
  });
}

async function workspaceOf(tx: Transaction, id: string) {
  const [workspace] = await tx.select().from(workspaces).where(eq(workspaces.id, id));
  if (!workspace)
    throw new AppError("conflict", "The workspace was deleted while this ran. Nothing was changed.");
  return workspace;
}

/**
 * `users:reset-password`, in one transaction: the new (already hashed) password, every session of the
 * person deleted, and a "user.password_reset" audit entry in each workspace they belong to.
 * Throws AppError "not_found" when the person was removed while the script ran.
 */
export async function resetPasswordAsOperator(
  email: string,
  passwordHash: string,
): Promise<{ email: string; sessionsEnded: number }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.email, email)).for("update");
    if (!user) throw new AppError("not_found", `${email} was removed while this ran. Nothing was changed.`);
    const updated = await tx
      .update(accounts)
      .set({ password: passwordHash, updatedAt: sql`now()` })
      .where(and(eq(accounts.userId, user.id), eq(accounts.providerId, "credential")))
      .returning({ id: accounts.id });
    if (updated.length === 0) {
      await tx
        .insert(accounts)
        .values({ userId: user.id, accountId: user.id, providerId: "credential", password: passwordHash });
    }
    const ended = await tx
      .delete(sessions)
      .where(eq(sessions.userId, user.id))
      .returning({ id: sessions.id });
    const memberOf = await tx
      .select({ workspaceId: memberships.workspaceId })
      .from(memberships)
      .where(eq(memberships.userId, user.id));
    for (const { workspaceId } of memberOf) {
      await recordAudit(tx, operatorContext(workspaceId), {
        action: "user.password_reset",
        targetType: "user",
        targetId: user.id,
        targetLabel: user.email,
      });
    }
    return { email: user.email, sessionsEnded: ended.length };
  });
}
