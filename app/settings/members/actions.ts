"use server";

import { headers } from "next/headers";
import { auditContext, requireMember } from "@/auth/member";
import { appOrigin, mailedLinkOrigin } from "@/auth/request-info";
import {
  createInvitation,
  INVITATION_DAYS,
  listPendingInvitations,
  revokeInvitation,
} from "@/db/queries/invitations";
import { changeMemberRole, removeMember, renameWorkspace } from "@/db/queries/members";
import { mailConfigured } from "@/lib/env";
import { type ActionResult, AppError, messages } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { invitationMail, sendMail } from "@/lib/mail";
import { invitableRoles, roleLabels } from "@/lib/roles";
import { parseInput, runAction } from "@/lib/run-action";
import { isUuid } from "@/lib/uuid";
import { invitationSchema, workspaceSchema } from "@/lib/validations/account";

const roleInput = invitationSchema.pick({ role: true });

/** The link to pass on, or null when leadhook mailed it to `email` itself. */
export type InvitationCreated = { email: string; link: string | null };

/**
 * "Create invitation link": the link is returned once; only the token's hash is stored. With a mail
 * server configured ("Send invitation") it is mailed to the invitee instead and never returned, so only
 * whoever reads that mailbox can join as its address.
 */
export async function inviteMemberAction(
  workspaceId: string,
  input: unknown,
): Promise<ActionResult<InvitationCreated>> {
  return runAction(async () => {
    const member = await requireMember(workspaceId, "members:invite");
    const { email, role } = parseInput(invitationSchema, input);
    if (!invitableRoles(member.role).includes(role)) {
      throw new AppError("forbidden", `Your role (${member.role}) cannot invite ${roleLabels[role]}s.`, {
        fieldErrors: { role: "Choose a role no higher than your own" },
      });
    }
    const mailed = mailConfigured();
    // A mailed link points at the configured public origin, never at the Host this request named.
    const origin = mailed ? mailedLinkOrigin() : appOrigin(await headers());
    const mail = mailed
      ? (token: string) =>
          sendMail(
            invitationMail({
              to: email.toLowerCase(),
              workspaceName: member.workspace.name,
              invitedBy: member.user.name,
              role: roleLabels[role].toLowerCase(),
              link: `${origin}/invite/${token}`,
              days: INVITATION_DAYS,
            }),
          )
      : undefined;
    const { token, invitation } = await createInvitation(auditContext(member), {
      email,
      role,
      replaceable: invitableRoles(member.role),
      mail,
    });
    logger.info({ invitationId: invitation.id, role, mailed: invitation.mailed }, "member invited");
    return { email: invitation.email, link: invitation.mailed ? null : `${origin}/invite/${token}` };
  });
}

/** "Withdraw": an admin may withdraw only invitations for roles they could hand out themselves. */
export async function revokeInvitationAction(workspaceId: string, id: string) {
  return runAction(async () => {
    const member = await requireMember(workspaceId, "members:invite");
    const invitationId = String(id);
    const pending = isUuid(invitationId)
      ? (await listPendingInvitations(member.workspace.id)).find((i) => i.id === invitationId)
      : undefined;
    if (!pending) throw new AppError("not_found", messages.invitationSpent);
    if (!invitableRoles(member.role).includes(pending.role)) {
      throw new AppError(
        "forbidden",
        `Your role (${member.role}) cannot withdraw an invitation for an owner.`,
      );
    }
    await revokeInvitation(auditContext(member), invitationId);
    logger.info({ invitationId }, "invitation withdrawn");
    return {};
  });
}

export async function changeRoleAction(workspaceId: string, userId: string, role: unknown) {
  return runAction(async () => {
    const member = await requireMember(workspaceId, "members:manage");
    const parsed = parseInput(roleInput, { role });
    const id = String(userId);
    if (!isUuid(id)) throw new AppError("not_found", messages.notAMember);
    await changeMemberRole(auditContext(member), id, parsed.role);
    logger.info({ userId: id, role: parsed.role }, "member role changed");
    return { role: parsed.role };
  });
}

export async function removeMemberAction(workspaceId: string, userId: string) {
  return runAction(async () => {
    const member = await requireMember(workspaceId, "members:manage");
    const id = String(userId);
    if (!isUuid(id)) throw new AppError("not_found", messages.notAMember);
    await removeMember(auditContext(member), id);
    logger.info({ userId: id }, "member removed");
    return {};
  });
}

export async function renameWorkspaceAction(workspaceId: string, input: unknown) {
  return runAction(async () => {
    const member = await requireMember(workspaceId, "workspace:manage");
    const { name } = parseInput(workspaceSchema, input);
    await renameWorkspace(auditContext(member), name);
    logger.info({ workspaceId: member.workspace.id }, "workspace renamed");
    return { name };
  });
}
