"use server";

import { hashPassword } from "better-auth/crypto";
import { headers } from "next/headers";
import { defineAction, tokenArg } from "@/auth/action";
import { chooseWorkspace, signInAfterSignUp } from "@/auth/member";
import { requestOrigin } from "@/auth/request-info";
import { acceptInvitation, findInvitation } from "@/db/queries/invitation-links";
import { findUserByEmail } from "@/db/queries/users";
import { AppError, messages } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { newMemberSchema } from "@/lib/validations/account";

const invitationToken = tokenArg(messages.invitationLinkInvalid);

/** "Create account and join": the account, its membership and the spent link land together. */
export const acceptInvitationAction = defineAction({
  permission: "public",
  args: [invitationToken, newMemberSchema],
  work: async (token, { name, password }) => {
    // Checked before the (deliberately slow) hashing, so a made-up token costs the server nothing.
    const link = await findInvitation(token);
    if (!link) throw new AppError("not_found", messages.invitationLinkInvalid);
    if (link.state !== "valid") throw new AppError("conflict", "This invitation can no longer be used.");
    if (await findUserByEmail(link.invitation.email)) {
      throw new AppError("conflict", "An account with this email already exists: sign in to accept.");
    }
    const { user, workspaceId } = await acceptInvitation(
      token,
      { newUser: { name, passwordHash: await hashPassword(password) } },
      requestOrigin(await headers()),
    );
    logger.info({ userId: user.id, workspaceId }, "invitation accepted by a new member");
    await chooseWorkspace(workspaceId);
    try {
      await signInAfterSignUp(user.email, password);
    } catch (error) {
      logger.warn({ err: error, userId: user.id }, "sign-in after accepting an invitation failed");
      throw new AppError(
        "unavailable",
        "Your account was created, but signing you in failed. Sign in with your email and new password.",
      );
    }
    return {};
  },
});

/** "Join WORKSPACE": the signed-in person the invitation names becomes a member. */
export const joinWorkspaceAction = defineAction({
  permission: "signed-in",
  signedOut: "Your session has ended. Sign in again to accept.",
  args: [invitationToken],
  work: async (signedIn, token) => {
    const { user, workspaceId } = await acceptInvitation(
      token,
      { userId: signedIn.id },
      requestOrigin(await headers()),
    );
    logger.info({ userId: user.id, workspaceId }, "invitation accepted by an existing account");
    await chooseWorkspace(workspaceId);
    return {};
  },
});
