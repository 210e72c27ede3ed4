import "server-only";
import { eq, sql } from "drizzle-orm";
import { AppError, messages } from "@/lib/errors";
import { type Invitation, invitations, memberships, users } from "../access-schema";
import { getDb } from "../index";
import { workspaces } from "../schema";
import { actorLabel, recordAudit } from "./audit-log";
import { hashToken, INVITATION_DAYS } from "./invitations";
import { insertUser } from "./users";

// The link's side of an invitation: what it leads to, and accepting it.

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
    if (!invitation) throw new AppError("not_found", messages.invitationLinkInvalid);
    const { row } = invitation;
    const state = stateOf(row, invitation.expired);
    if (state !== "valid") throw new AppError("conflict", refusals[state]);

    let user: { id: string; name: string; email: string };
    // A mailed link reached its holder only through that mailbox: using it proves the address.
    if ("newUser" in who) {
      user = await insertUser(tx, { ...who.newUser, email: row.email, emailVerified: row.mailed });
    } else {
      const [found] = await tx.select().from(users).where(eq(users.id, who.userId));
      if (!found || found.email !== row.email) {
        throw new AppError(
          "invalid_request",
          `This invitation is for ${row.email}. Sign in with that email to accept it.`,
        );
      }
      user = found;
      if (row.mailed && !found.emailVerified) {
        await tx.update(users).set({ emailVerified: true }).where(eq(users.id, found.id));
      }
    }
    const [joined] = await tx
      .insert(memberships)
      .values({ workspaceId: row.workspaceId, userId: user.id, role: row.role })
      .onConflictDoNothing()
      .returning({ userId: memberships.userId });
    // Already a member: the link stays unspent and the role as it is (an owner changes roles).
    if (!joined) throw new AppError("conflict", "You are already a member of this workspace.");
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
        details: row.mailed ? { role: row.role, emailVerified: true } : { role: row.role },
      },
    );
    return { user, workspaceId: row.workspaceId };
  });
}
