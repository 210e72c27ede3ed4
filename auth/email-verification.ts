import "server-only";
import { createEmailVerificationToken } from "better-auth/api";
import { claimVerificationMail } from "@/db/queries/users";
import { AppError } from "@/lib/errors";
import { sendMail, verificationMail } from "@/lib/mail";
import { getAuthSecret } from "@/lib/secrets-key";
import type { SignedInUser } from "./member";
import { mailedLinkOrigin } from "./request-info";

/** How long a verification link works. */
export const VERIFICATION_HOURS = 24;
/** How often one account may have a verification link mailed. */
export const VERIFICATION_MAIL_SECONDS = 60;

/**
 * Mails `user` a link that marks their email verified: Better Auth's own token (signed with the auth
 * secret, bound to the account and the address) checked by its /verify-email endpoint, which then
 * returns the browser to the account page.
 */
export async function mailVerificationLink(user: SignedInUser): Promise<void> {
  if (user.emailVerified) throw new AppError("conflict", "Your email is already verified.");
  if (!(await claimVerificationMail(user.id, VERIFICATION_MAIL_SECONDS))) {
    throw new AppError(
      "too_many_requests",
      `A verification link was sent less than ${VERIFICATION_MAIL_SECONDS} seconds ago. Check your inbox (and spam folder), or try again in a minute.`,
    );
  }
  const token = await createEmailVerificationToken(
    getAuthSecret(),
    user.email,
    undefined,
    VERIFICATION_HOURS * 3600,
    { userId: user.id },
  );
  const back = encodeURIComponent("/account?verified=1");
  const link = `${mailedLinkOrigin()}/api/auth/verify-email?token=${token}&callbackURL=${back}`;
  await sendMail(verificationMail({ to: user.email, name: user.name, link, hours: VERIFICATION_HOURS }));
}
