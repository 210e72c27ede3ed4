"use server";

import { headers } from "next/headers";
import { defineAction, fieldArg, idArg } from "@/auth/action";
import { auditContext } from "@/auth/member";
import { appOrigin, mailedLinkOrigin } from "@/auth/request-info";
import {
  createInvitation,
  INVITATION_DAYS,
  listPendingInvitations,
  revokeInvitation,
} from "@/db/queries/invitations";
import { changeMemberRole, removeMember, renameWorkspace } from "@/db/queries/members";
import { mailConfigured } from "@/lib/env";
import { AppError, messages } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { invitationMail, sendMail } from "@/lib/mail";
import { invitableRoles, roleLabels } from "@/lib/roles";
import { invitationSchema, workspaceSchema } from "@/lib/validations/account";

const roleArg = fieldArg("role", invitationSchema.shape.role);
const memberId = idArg(messages.notAMember);

/** The link to pass on, or null when leadhook mailed it to `email` itself. */
export type InvitationCreated = { email: string; link: string | null };

/**
 * "Create invitation link": the link is returned once; only the token's hash is stored. With a mail
 * server configured ("Send invitation") it is mailed to the invitee instead and never returned, so only
 * whoever reads that mailbox can join as its address.
 */
export const inviteMemberAction = defineAction({
  permission: "members:invite",
  args: [invitationSchema],
  work: async (member, { email, role }): Promise<InvitationCreated> => {
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
  },
});

/** "Withdraw": an admin may withdraw only invitations for roles they could hand out themselves. */
export const revokeInvitationAction = defineAction({
  permission: "members:invite",
  args: [idArg(messages.invitationSpent)],
  work: async (member, invitationId) => {
    const pending = (await listPendingInvitations(member.workspace.id)).find((i) => i.id === invitationId);
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
  },
});

export const changeRoleAction = defineAction({
  permission: "members:manage",
  args: [memberId, roleArg],
  work: async (member, userId, role) => {
    await changeMemberRole(auditContext(member), userId, role);
    logger.info({ userId, role }, "member role changed");
    return { role };
  },
});

export const removeMemberAction = defineAction({
  permission: "members:manage",
  args: [memberId],
  work: async (member, userId) => {
    await removeMember(auditContext(member), userId);
    logger.info({ userId }, "member removed");
    return {};
  },
});

export const renameWorkspaceAction = defineAction({
  permission: "workspace:manage",
  args: [workspaceSchema],
  work: async (member, { name }) => {
    await renameWorkspace(auditContext(member), name);
    logger.info({ workspaceId: member.workspace.id }, "workspace renamed");
    return { name };
  },
});
