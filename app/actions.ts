"use server";

import { defineAction } from "@/auth/action";
import { chooseWorkspace } from "@/auth/member";

/** The header's workspace switcher: only a workspace the member belongs to can be chosen. */
export const switchWorkspaceAction = defineAction({
  permission: "read",
  args: [],
  work: async (member) => {
    await chooseWorkspace(member.workspace.id);
    return {};
  },
});
