import type { Metadata } from "next";
import Link from "next/link";
import { getSignedInUser } from "@/auth/member";
import { AuthCard } from "@/components/account/auth-card";
import { JoinWorkspaceButton } from "@/components/members/join-workspace-button";
import { NewMemberForm } from "@/components/members/new-member-form";
import { SwitchAccountButton } from "@/components/members/switch-account-button";
import { findInvitation, type InvitationState } from "@/db/queries/invitation-links";
import { INVITATION_DAYS } from "@/db/queries/invitations";
import { findUserByEmail } from "@/db/queries/users";
import { messages } from "@/lib/errors";
import { roleLabels } from "@/lib/roles";
import { MIN_PASSWORD_LENGTH } from "@/lib/validations/account";
import { acceptInvitationAction, joinWorkspaceAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Invitation", robots: { index: false } };

const linkClass = "font-medium text-brand-700 underline-offset-2 hover:underline";

function refusal(state: Exclude<InvitationState, "valid">, inviter: string, workspace: string) {
  switch (state) {
    case "expired":
      return `This invitation to ${workspace} has expired: links work for ${INVITATION_DAYS} days. Ask ${inviter} for a new one.`;
    case "used":
      return `This invitation to ${workspace} was already used. If it was yours, sign in to reach the workspace.`;
    case "revoked":
      return `This invitation to ${workspace} was withdrawn. Ask ${inviter} if you still need access.`;
  }
}

/** Where an invitation link leads: public, since the person following it usually has no account yet. */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const found = await findInvitation(token);
  if (!found) {
    return (
      <AuthCard title="Invitation">
        <p role="alert" className="text-sm text-slate-700">
          {messages.invitationLinkInvalid}
        </p>
        <p className="text-sm text-slate-600">Check that you copied the whole link, or ask for a new one.</p>
      </AuthCard>
    );
  }

  const { invitation, workspaceName } = found;
  const inviter = found.invitedBy ?? "the person who invited you";
  if (found.state !== "valid") {
    return (
      <AuthCard title="Invitation">
        <p role="alert" className="text-sm text-slate-700">
          {refusal(found.state, inviter, workspaceName)}
        </p>
        {found.state === "used" ? (
          <Link href="/sign-in" className={`${linkClass} text-sm`}>
            Sign in
          </Link>
        ) : null}
      </AuthCard>
    );
  }

  const invitePath = `/invite/${token}`;
  const title = `Join ${workspaceName} on leadhook`;
  const intro = (
    <p>
      {found.invitedBy ?? "An owner or admin"} invited {invitation.email} to join as{" "}
      {roleLabels[invitation.role].toLowerCase()}.
    </p>
  );
  const account = await findUserByEmail(invitation.email);
  if (!account) {
    return (
      <AuthCard title={title} intro={intro} footer={`You will sign in with ${invitation.email}.`}>
        <NewMemberForm
          accept={acceptInvitationAction.bind(null, token)}
          minPasswordLength={MIN_PASSWORD_LENGTH}
        />
      </AuthCard>
    );
  }

  const signedIn = await getSignedInUser();
  if (signedIn?.id === account.id) {
    return (
      <AuthCard title={title} intro={intro}>
        <JoinWorkspaceButton workspaceName={workspaceName} join={joinWorkspaceAction.bind(null, token)} />
      </AuthCard>
    );
  }
  return (
    <AuthCard title={title} intro={intro}>
      <p className="text-sm text-slate-700">
        This invitation is for {invitation.email}, who already has a leadhook account.
        {signedIn ? ` You are signed in as ${signedIn.email}.` : null}
      </p>
      {signedIn ? (
        <SwitchAccountButton email={invitation.email} next={invitePath} />
      ) : (
        <Link href={`/sign-in?next=${invitePath}`} className={`${linkClass} block text-sm`}>
          Sign in as {invitation.email} to accept
        </Link>
      )}
    </AuthCard>
  );
}
