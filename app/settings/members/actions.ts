"use server";

import { headers } from "next/headers";
import { auditContext, requireMember } from "@/auth/member";
import { createInvitation, listPendingInvitations, revokeInvitation } from "@/db/queries/invitations";
import { changeMemberRole, removeMember, renameWorkspace } from "@/db/queries/members";
import { getEnv } from "@/lib/env";
import { AppError, messages } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { invitableRoles, roleLabels } from "@/lib/roles";
import { parseInput, runAction } from "@/lib/run-action";
import { isUuid } from "@/lib/uuid";
import { invitationSchema, workspaceSchema } from "@/lib/validations/account";

const roleInput = invitationSchema.pick({ role: true });

/** The origin invitation links point at: BETTER_AUTH_URL when set, else the one this request came to. */
async function appOrigin(): Promise<string> {
  const configured = getEnv().BETTER_AUTH_URL;
  if (configured) return new URL(configured).origin;
  const h = await headers();
  const host = h.get("x-forwarded-host")?.split(",")[0]?.trim() || h.get("host") || "localhost:3000";
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim() || "http";
  return `${proto}://${host}`;
}

/** "Create invitation link": the link is returned once; only the token's hash is stored. */
export async function inviteMemberAction(workspaceId: string, input: unknown) {
  return runAction(async () => {
    const member = await requireMember(workspaceId, "members:invite");
    const { email, role } = parseInput(invitationSchema, input);
    if (!invitableRoles(member.role).includes(role)) {
      throw new AppError("forbidden", `Your role (${member.role}) cannot invite ${roleLabels[role]}s.`, {
        fieldErrors: { role: "Choose a role no higher than your own" },
      });
    }
    const { token, invitation } = await createInvitation(auditContext(member), {
      email,
      role,
      replaceable: invitableRoles(member.role),
    });
    logger.info({ invitationId: invitation.id, role }, "member invited");
    return { link: `${await appOrigin()}/invite/${token}`, email: invitation.email };
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
