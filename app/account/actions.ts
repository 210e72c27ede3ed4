"use server";

import { mailVerificationLink } from "@/auth/email-verification";
import { getSignedInUser } from "@/auth/member";
import { mailConfigured } from "@/lib/env";
import { AppError, messages } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { runAction } from "@/lib/run-action";

/** "Send verification link": mails the signed-in person a link that proves they read their email. */
export async function sendVerificationLinkAction() {
  return runAction(async () => {
    const user = await getSignedInUser();
    if (!user) throw new AppError("unauthorized", messages.sessionEnded);
    if (!mailConfigured()) {
      throw new AppError("unavailable", "This server sends no email, so addresses cannot be verified here.");
    }
    await mailVerificationLink(user);
    logger.info({ userId: user.id }, "verification link mailed");
    return { email: user.email };
  });
}
