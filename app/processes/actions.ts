"use server";

import { createProcess } from "@/db/queries/processes";
import { getCurrentWorkspace } from "@/db/queries/workspaces";
import { AppError, toFieldErrors } from "@/lib/errors";
import { runAction } from "@/lib/run-action";
import { newProcessSchema } from "@/lib/validations/process";

/** "New Process": creates it in the current workspace and returns its id for the page to open. */
export async function createProcessAction(input: unknown) {
  return runAction(async () => {
    const parsed = newProcessSchema.safeParse(input);
    if (!parsed.success) {
      throw new AppError("invalid_request", "Fix the errors below.", {
        fieldErrors: toFieldErrors(parsed.error.issues),
      });
    }
    const workspace = await getCurrentWorkspace();
    const process = await createProcess({ workspaceId: workspace.id, name: parsed.data.name });
    return { id: process.id };
  });
}
