"use server";

import { defineAction } from "@/auth/action";
import { auditContext } from "@/auth/member";
import { createProcess } from "@/db/queries/processes";
import { newProcessSchema } from "@/lib/validations/process";

/** "New Process": creates it in the current workspace and returns its id for the page to open. */
export const createProcessAction = defineAction({
  permission: "processes:write",
  args: [newProcessSchema],
  work: async (member, { name }) => {
    const process = await createProcess(
      { workspaceId: member.workspace.id, name },
      undefined,
      auditContext(member),
    );
    return { id: process.id };
  },
});
