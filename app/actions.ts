"use server";

import { chooseWorkspace, requireMember } from "@/auth/member";
import { runAction } from "@/lib/run-action";

/** The header's workspace switcher: only a workspace the member belongs to can be chosen. */
export async function switchWorkspaceAction(workspaceId: string) {
  return runAction(async () => {
    const member = await requireMember(workspaceId, "read");
    await chooseWorkspace(member.workspace.id);
    return {};
  });
}
