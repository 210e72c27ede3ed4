"use server";

import { auditContext, requireMember } from "@/auth/member";
import { createProcess } from "@/db/queries/processes";
import { parseInput, runAction } from "@/lib/run-action";
import { newProcessSchema } from "@/lib/validations/process";

/** "New Process": creates it in the current workspace and returns its id for the page to open. */
export async function createProcessAction(workspaceId: string, input: unknown) {
  return runAction(async () => {
    const member = await requireMember(workspaceId, "processes:write");
    const { name } = parseInput(newProcessSchema, input);
    const process = await createProcess(
      { workspaceId: member.workspace.id, name },
      undefined,
      auditContext(member),
    );
    return { id: process.id };
  });
}
