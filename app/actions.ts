"use server";

import { chooseWorkspace, requireMember } from "@/auth/member";
import { AppError } from "@/lib/errors";
import { runAction } from "@/lib/run-action";

/** The header's workspace switcher: only a workspace the member belongs to can be chosen. */
export async function switchWorkspaceAction(workspaceId: string) {
  return runAction(async () => {
    const member = await requireMember("read");
    const target = member.workspaces.find((w) => w.id === String(workspaceId));
    if (!target) throw new AppError("not_found", "You are not a member of that workspace.");
    await chooseWorkspace(target.id);
    return {};
  });
}
