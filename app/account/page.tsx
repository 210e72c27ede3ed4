import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSignedInUser } from "@/auth/member";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { SendVerificationLink } from "@/components/account/email-verification";
import { Badge } from "@/components/ui/badge";
import { FormAlert } from "@/components/ui/form-alert";
import { hasAnyUser } from "@/db/queries/users";
import { mailConfigured } from "@/lib/env";
import { MIN_PASSWORD_LENGTH } from "@/lib/validations/account";
import { sendVerificationLinkAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your account" };

/** What a verification link that did not work came back with (Better Auth's codes). */
const linkProblems: Record<string, string> = {
  TOKEN_EXPIRED: "That verification link has expired. Send yourself a new one.",
  INVALID_TOKEN:
    "That verification link is not valid. Check that you opened the whole link, or send a new one.",
  INVALID_USER: "That verification link is for another account. Sign out, then open it again.",
  USER_NOT_FOUND: "That verification link is for an account that no longer exists.",
};

export default async function AccountPage({
  searchParams,
}: {
  searchParams: Promise<{ verified?: string; error?: string }>;
}) {
  const user = await getSignedInUser();
  if (!user) redirect((await hasAnyUser()) ? "/sign-in?next=/account" : "/setup");
  const { verified, error } = await searchParams;
  const linkProblem = error ? (linkProblems[error] ?? linkProblems.INVALID_TOKEN) : null;
  const mails = mailConfigured();

  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold tracking-tight">Your account</h1>

      <section
        aria-labelledby="profile"
        className="space-y-3 rounded-lg border border-slate-200 bg-white p-5"
      >
        <h2 id="profile" className="text-lg font-semibold">
          Sign-in email
        </h2>
        <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
          <dt className="text-slate-600">Name</dt>
          <dd className="font-medium">{user.name}</dd>
          <dt className="text-slate-600">Email</dt>
          <dd className="flex flex-wrap items-center gap-2 font-medium break-all">
            {user.email}
            {user.emailVerified ? <Badge tone="ok">Verified</Badge> : <Badge tone="warn">Not verified</Badge>}
          </dd>
        </dl>
        {linkProblem ? (
          <FormAlert>{linkProblem}</FormAlert>
        ) : verified && user.emailVerified ? (
          <p role="status" className="text-sm text-emerald-800">
            Your email is verified.
          </p>
        ) : null}
        {user.emailVerified ? (
          <p className="text-sm text-slate-600">You opened a link leadhook mailed to this address.</p>
        ) : mails ? (
          <>
            <p className="text-sm text-slate-600">
              Verify that this address is yours: leadhook mails it a link, and opening the link verifies it.
            </p>
            <SendVerificationLink send={sendVerificationLinkAction} />
          </>
        ) : (
          <p className="text-sm text-slate-600">
            This server sends no email (its operator has not set SMTP_URL), so addresses cannot be verified
            here yet.
          </p>
        )}
      </section>

      <section
        aria-labelledby="password"
        className="space-y-3 rounded-lg border border-slate-200 bg-white p-5"
      >
        <h2 id="password" className="text-lg font-semibold">
          Change password
        </h2>
        <ChangePasswordForm minLength={MIN_PASSWORD_LENGTH} />
      </section>
    </div>
  );
}
