"use server";

import { hashPassword } from "better-auth/crypto";
import { headers } from "next/headers";
import { chooseWorkspace, signInAfterSignUp } from "@/auth/member";
import { requestOrigin } from "@/auth/request-info";
import { createOwnerAccount } from "@/db/queries/members";
import { hasAnyUser } from "@/db/queries/users";
import { AppError, toFieldErrors } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { runAction } from "@/lib/run-action";
import { ownerSetupSchema } from "@/lib/validations/account";

/** "Create the owner account": only while nobody has an account (checked again inside the transaction). */
export async function createOwnerAction(input: unknown) {
  return runAction(async () => {
    const parsed = ownerSetupSchema.safeParse(input);
    if (!parsed.success) {
      throw new AppError("invalid_request", "Fix the errors below.", {
        fieldErrors: toFieldErrors(parsed.error.issues),
      });
    }
    const { password, ...owner } = parsed.data;
    // Refused before the (deliberately slow) hashing once the owner exists; checked again in the transaction.
    if (await hasAnyUser())
      throw new AppError("conflict", "The owner account already exists. Sign in instead.");
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
  });
}
