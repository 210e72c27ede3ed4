import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, notInArray, sql } from "drizzle-orm";
import { AppError, messages } from "@/lib/errors";
import { invitableRoles, type Role, roleLabels, roles } from "@/lib/roles";
import { type Invitation, invitations, memberships, users } from "../access-schema";
import { type Executor, getDb } from "../index";
import { type AuditContext, lockActorRole, recordAudit } from "./audit-log";

export const INVITATION_DAYS = 7;

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Invites `email` with `role` and returns the one-time token for the link (only its hash is kept). A
 * newer invitation for the same email replaces any pending one. With `mail`, the invitation is mailed
 * before it commits: a message the mail server refused leaves nothing behind (the pending invitation it
 * would replace included). The transaction then stays open for the mail server's answer (bounded by
 * lib/mail.ts's timeouts), holding the inviter's membership lock as long: a demotion waits for it.
 */
export async function createInvitation(
  context: AuditContext,
  input: {
    email: string;
    role: Role;
    /** Roles of pending invitations this inviter may replace (an admin: not an owner's). Default: all. */
    replaceable?: readonly Role[];
    /** Sends the link (given the token) to the invitee, whose caller then never shows it. */
    mail?: (token: string) => Promise<void>;
  },
): Promise<{ token: string; invitation: Invitation }> {
  const db = await getDb();
  const token = randomBytes(32).toString("base64url");
  const email = input.email.toLowerCase();
  return db.transaction(async (tx) => {
    // The inviter's role as it is now, locked until this commits: a demotion that committed first leaves
    // them only what the new role may hand out.
    const inviterRole = context.permission ? await lockActorRole(tx, context) : null;
    if (inviterRole && !invitableRoles(inviterRole).includes(input.role)) {
      throw new AppError(
        "forbidden",
        `Your role (${inviterRole}) cannot invite ${roleLabels[input.role]}s.`,
        {
          fieldErrors: { role: "Choose a role no higher than your own" },
        },
      );
    }
    const replaceable = (input.replaceable ?? roles).filter(
      (role) => !inviterRole || invitableRoles(inviterRole).includes(role),
    );
    const [member] = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.workspaceId, context.workspaceId), eq(users.email, email)));
    if (member) {
      throw new AppError("invalid_request", "This person is already a member.", {
        fieldErrors: { email: "Already a member of this workspace" },
      });
    }
    const pending = and(
      eq(invitations.workspaceId, context.workspaceId),
      eq(invitations.email, email),
      isNull(invitations.acceptedAt),
      isNull(invitations.revokedAt),
    );
    const [higher] = await tx
      .select({ role: invitations.role })
      .from(invitations)
      .where(and(pending, notInArray(invitations.role, replaceable)));
    if (higher) {
      throw new AppError(
        "forbidden",
        `This person has a pending ${higher.role} invitation, which only an owner can replace.`,
        {
          fieldErrors: { email: `Already invited as ${higher.role}` },
        },
      );
    }
    await tx.update(invitations).set({ revokedAt: sql`now()` }).where(pending);
    const [invitation] = await tx
      .insert(invitations)
      .values({
        workspaceId: context.workspaceId,
        email,
        role: input.role,
        tokenHash: hashToken(token),
        invitedBy: context.actorId,
        mailed: Boolean(input.mail),
        expiresAt: sql`now() + make_interval(days => ${INVITATION_DAYS})`,
      })
      .returning();
    if (!invitation) throw new Error("The invitation could not be stored");
    await recordAudit(tx, context, {
      action: "member.invited",
      targetType: "invitation",
      targetId: invitation.id,
      targetLabel: email,
      details: input.mail ? { role: input.role, mailed: true } : { role: input.role },
    });
    await input.mail?.(token);
    return { token, invitation };
  });
}

/** Invitations of a workspace that can still be accepted, newest first. */
export async function listPendingInvitations(workspaceId: string) {
  const db = await getDb();
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      createdAt: invitations.createdAt,
      invitedBy: users.name,
    })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(
      and(
        eq(invitations.workspaceId, workspaceId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, sql`now()`),
      ),
    )
    .orderBy(desc(invitations.createdAt));
}

export async function revokeInvitation(context: AuditContext, invitationId: string) {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(invitations)
      .set({ revokedAt: sql`now()` })
      .where(
        and(
          eq(invitations.id, invitationId),
          eq(invitations.workspaceId, context.workspaceId),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      )
      .returning();
    if (!revoked) throw new AppError("not_found", messages.invitationSpent);
    await recordAudit(tx, context, {
      action: "invitation.revoked",
      targetType: "invitation",
      targetId: revoked.id,
      targetLabel: revoked.email,
    });
  });
}

/**
 * Withdraws the pending invitations `inviterId` made that they could no longer make: all of them when
 * they leave the workspace (`role` null), those above what `role` may hand out when they are demoted.
 * Runs in the transaction of the removal or role change, with an audit entry for each.
 */
export async function withdrawInvitationsBeyond(
  tx: Executor,
  context: AuditContext,
  inviterId: string,
  role: Role | null,
) {
  const allowed = role ? invitableRoles(role) : [];
  const withdrawn = await tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(invitations.workspaceId, context.workspaceId),
        eq(invitations.invitedBy, inviterId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        allowed.length ? notInArray(invitations.role, allowed) : undefined,
      ),
    )
    .returning({ id: invitations.id, email: invitations.email, role: invitations.role });
  await recordAudit(
    tx,
    context,
    ...withdrawn.map((i) => ({
      action: "invitation.revoked" as const,
      targetType: "invitation",
      targetId: i.id,
      targetLabel: i.email,
      details: { role: i.role, reason: role ? "the inviter's role changed" : "the inviter was removed" },
    })),
  );
}
