"use server";

import { auditContext, requireMember } from "@/auth/member";
import { createProcess } from "@/db/queries/processes";
import { AppError, toFieldErrors } from "@/lib/errors";
import { runAction } from "@/lib/run-action";
import { newProcessSchema } from "@/lib/validations/process";

/** "New Process": creates it in the current workspace and returns its id for the page to open. */
export async function createProcessAction(workspaceId: string, input: unknown) {
  return runAction(async () => {
    const member = await requireMember(workspaceId, "processes:write");
    const parsed = newProcessSchema.safeParse(input);
    if (!parsed.success) {
      throw new AppError("invalid_request", "Fix the errors below.", {
        fieldErrors: toFieldErrors(parsed.error.issues),
      });
    }
    const process = await createProcess(
      { workspaceId: member.workspace.id, name: parsed.data.name },
      undefined,
      auditContext(member),
    );
    return { id: process.id };
  });
}
