import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/roles";
import { type Invitation, invitations, memberships, users } from "../access-schema";
import { getDb } from "../index";
import { workspaces } from "../schema";
import { type AuditContext, actorLabel, recordAudit } from "./audit-log";
import { insertUser } from "./members";

export const INVITATION_DAYS = 7;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Invites `email` with `role` and returns the one-time token for the link (only its hash is kept). A
 * newer invitation for the same email replaces any pending one.
 */
export async function createInvitation(context: AuditContext, input: { email: string; role: Role }) {
  const db = await getDb();
  const token = randomBytes(32).toString("base64url");
  const email = input.email.toLowerCase();
  return db.transaction(async (tx) => {
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
    await tx
      .update(invitations)
      .set({ revokedAt: sql`now()` })
      .where(
        and(
          eq(invitations.workspaceId, context.workspaceId),
          eq(invitations.email, email),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      );
    const [invitation] = await tx
      .insert(invitations)
      .values({
        workspaceId: context.workspaceId,
        email,
        role: input.role,
        tokenHash: hashToken(token),
        invitedBy: context.actorId,
        expiresAt: sql`now() + make_interval(days => ${INVITATION_DAYS})`,
      })
      .returning();
    if (!invitation) throw new Error("The invitation could not be stored");
    await recordAudit(tx, context, {
      action: "member.invited",
      targetType: "invitation",
      targetId: invitation.id,
      targetLabel: email,
      details: { role: input.role },
    });
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
    if (!revoked) throw new AppError("not_found", "This invitation was already used or withdrawn.");
    await recordAudit(tx, context, {
      action: "invitation.revoked",
      targetType: "invitation",
      targetId: revoked.id,
      targetLabel: revoked.email,
    });
  });
}

export type InvitationState = "valid" | "expired" | "used" | "revoked";

/** What an invitation link leads to, or undefined for a token that was never issued. */
export async function findInvitation(token: string) {
  if (!/^[\w-]{20,100}$/.test(token)) return undefined;
  const db = await getDb();
  const [row] = await db
    .select({
      invitation: invitations,
      workspaceName: workspaces.name,
      invitedBy: users.name,
      expired: sql<boolean>`${invitations.expiresAt} <= now()`,
    })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(eq(invitations.tokenHash, hashToken(token)));
  if (!row) return undefined;
  return { ...row, state: stateOf(row.invitation, row.expired) };
}

function stateOf(invitation: Invitation, expired: boolean): InvitationState {
  if (invitation.acceptedAt) return "used";
  if (invitation.revokedAt) return "revoked";
  return expired ? "expired" : "valid";
}

const refusals: Record<Exclude<InvitationState, "valid">, string> = {
  used: "This invitation was already used. Sign in, or ask for a new invitation.",
  revoked: "This invitation was withdrawn. Ask for a new one.",
  expired: `This invitation expired (links work for ${INVITATION_DAYS} days). Ask for a new one.`,
};

/**
 * Accepts an invitation, once: as someone new (`newUser`, whose email is the invitation's) or as the
 * signed-in person the invitation names (`userId`). The link is spent in the transaction that adds the
 * membership, so two tabs racing on one link give one member and one clear refusal.
 */
export async function acceptInvitation(
  token: string,
  who: { newUser: { name: string; passwordHash: string } } | { userId: string },
  request: { ipAddress: string | null; userAgent: string | null },
) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [invitation] = await tx
      .select({ row: invitations, expired: sql<boolean>`${invitations.expiresAt} <= now()` })
      .from(invitations)
      .where(eq(invitations.tokenHash, hashToken(token)))
      .for("update");
    if (!invitation) throw new AppError("not_found", "This invitation link is not valid.");
    const { row } = invitation;
    const state = stateOf(row, invitation.expired);
    if (state !== "valid") throw new AppError("conflict", refusals[state]);

    let user: { id: string; name: string; email: string };
    if ("newUser" in who) {
      user = await insertUser(tx, { ...who.newUser, email: row.email });
    } else {
      const [found] = await tx.select().from(users).where(eq(users.id, who.userId));
      if (!found || found.email !== row.email) {
        throw new AppError(
          "invalid_request",
          `This invitation is for ${row.email}. Sign in with that email to accept it.`,
        );
      }
      user = found;
    }
    await tx
      .insert(memberships)
      .values({ workspaceId: row.workspaceId, userId: user.id, role: row.role })
      .onConflictDoNothing();
    await tx
      .update(invitations)
      .set({ acceptedAt: sql`now()`, acceptedBy: user.id })
      .where(eq(invitations.id, row.id));
    await recordAudit(
      tx,
      { workspaceId: row.workspaceId, actorId: user.id, actorLabel: actorLabel(user), ...request },
      {
        action: "member.joined",
        targetType: "user",
        targetId: user.id,
        targetLabel: user.email,
        details: { role: row.role },
      },
    );
    return { user, workspaceId: row.workspaceId };
  });
}
