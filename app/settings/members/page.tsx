import type { Metadata } from "next";
import { requirePageMember } from "@/auth/member";
import { InvitationList } from "@/components/members/invitation-list";
import { InviteMemberForm } from "@/components/members/invite-member-form";
import { MemberList } from "@/components/members/member-list";
import { WorkspaceNameForm } from "@/components/members/workspace-name-form";
import { INVITATION_DAYS, listPendingInvitations } from "@/db/queries/invitations";
import { listMembers } from "@/db/queries/members";
import { mailConfigured } from "@/lib/env";
import { formatDateTime } from "@/lib/format-date";
import { can, invitableRoles } from "@/lib/roles";
import {
  changeRoleAction,
  inviteMemberAction,
  removeMemberAction,
  renameWorkspaceAction,
  revokeInvitationAction,
} from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Members" };

const formatDate = (date: Date) => formatDateTime(date);

export default async function MembersPage() {
  const member = await requirePageMember("/settings/members");
  const heading = <h1 className="text-2xl font-semibold tracking-tight">Members</h1>;
  if (!can(member.role, "members:invite")) {
    return (
      <div className="space-y-4">
        {heading}
        <p className="text-sm text-slate-600">
          Only owners and admins manage the members of {member.workspace.name}. Ask one of them to invite
          someone or to change a role.
        </p>
      </div>
    );
  }

  const isOwner = can(member.role, "members:manage");
  const roles = invitableRoles(member.role);
  const [members, invitations] = await Promise.all([
    listMembers(member.workspace.id),
    listPendingInvitations(member.workspace.id),
  ]);

  return (
    <div className="space-y-8">
      <div>
        {heading}
        <p className="mt-1 max-w-2xl text-sm text-slate-600">
          People join by invitation:{" "}
          {mailConfigured()
            ? "leadhook emails them a link that makes them a member with the role you chose."
            : "create a link, send it yourself, and it makes them a member with the role you chose."}{" "}
          Owners manage members and the workspace; admins run processes and invite; viewers read.
        </p>
      </div>

      <section aria-labelledby="workspace" className="space-y-2">
        <h2 id="workspace" className="text-lg font-semibold">
          Workspace
        </h2>
        {can(member.role, "workspace:manage") ? (
          <WorkspaceNameForm
            name={member.workspace.name}
            rename={renameWorkspaceAction.bind(null, member.workspace.id)}
          />
        ) : (
          <p className="text-sm">
            <span className="text-slate-600">Workspace name: </span>
            <span className="font-medium">{member.workspace.name}</span>
          </p>
        )}
      </section>

      <section aria-labelledby="members" className="space-y-2">
        <h2 id="members" className="text-lg font-semibold">
          People in {member.workspace.name}
        </h2>
        <MemberList
          workspaceName={member.workspace.name}
          members={members.map((m) => ({
            userId: m.userId,
            name: m.name,
            email: m.email,
            // Only where addresses can be verified: without a mail server nobody could have.
            emailVerified: mailConfigured() ? m.emailVerified : undefined,
            role: m.role,
            joined: formatDate(m.joinedAt),
          }))}
          manage={
            isOwner
              ? {
                  changeRole: changeRoleAction.bind(null, member.workspace.id),
                  remove: removeMemberAction.bind(null, member.workspace.id),
                }
              : undefined
          }
        />
      </section>

      <InviteMemberForm
        roles={roles}
        invitationDays={INVITATION_DAYS}
        mailed={mailConfigured()}
        invite={inviteMemberAction.bind(null, member.workspace.id)}
      />

      <section aria-labelledby="pending-invitations" className="space-y-2">
        <h2 id="pending-invitations" className="text-lg font-semibold">
          Pending invitations
        </h2>
        <InvitationList
          invitations={invitations.map((i) => ({
            id: i.id,
            email: i.email,
            role: i.role,
            invitedBy: i.invitedBy,
            expires: formatDate(i.expiresAt),
            canWithdraw: roles.includes(i.role),
          }))}
          revoke={revokeInvitationAction.bind(null, member.workspace.id)}
        />
      </section>
    </div>
  );
}
