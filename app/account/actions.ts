"use server";

import { defineAction } from "@/auth/action";
import { mailVerificationLink } from "@/auth/email-verification";
import { mailConfigured } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";

/** "Send verification link": mails the signed-in person a link that proves they read their email. */
export const sendVerificationLinkAction = defineAction({
  permission: "signed-in",
  args: [],
  work: async (user) => {
    if (!mailConfigured()) {
      throw new AppError("unavailable", "This server sends no email, so addresses cannot be verified here.");
    }
    await mailVerificationLink(user);
    logger.info({ userId: user.id }, "verification link mailed");
    return { email: user.email };
  },
});
