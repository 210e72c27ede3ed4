"use server";

import { hashPassword } from "better-auth/crypto";
import { headers } from "next/headers";
import { defineAction } from "@/auth/action";
import { chooseWorkspace, signInAfterSignUp } from "@/auth/member";
import { requestOrigin } from "@/auth/request-info";
import { createOwnerAccount } from "@/db/queries/members";
import { hasAnyUser } from "@/db/queries/users";
import { AppError, messages } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { ownerSetupSchema } from "@/lib/validations/account";

/** "Create the owner account": only while nobody has an account (checked again inside the transaction). */
export const createOwnerAction = defineAction({
  permission: "public",
  args: [ownerSetupSchema],
  work: async ({ password, ...owner }) => {
    // Refused before the (deliberately slow) hashing once the owner exists; checked again in the transaction.
    if (await hasAnyUser()) throw new AppError("conflict", messages.ownerExists);
    const { user, workspace } = await createOwnerAccount(
      { ...owner, passwordHash: await hashPassword(password) },
      requestOrigin(await headers()),
    );
    logger.info({ userId: user.id, workspaceId: workspace.id }, "owner account created");
    await chooseWorkspace(workspace.id);
    try {
      await signInAfterSignUp(user.email, password);
    } catch (error) {
      logger.warn({ err: error, userId: user.id }, "sign-in after creating the owner account failed");
      throw new AppError(
        "unavailable",
        "Your account was created, but signing you in failed. Sign in with your email and password.",
      );
    }
    return {};
  },
});
