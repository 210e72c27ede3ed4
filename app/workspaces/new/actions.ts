"use server";

import { headers } from "next/headers";
import { defineAction } from "@/auth/action";
import { chooseWorkspace, getMember } from "@/auth/member";
import { requestOrigin } from "@/auth/request-info";
import { actorLabel } from "@/db/queries/audit-log";
import { createWorkspace } from "@/db/queries/members";
import { workspaceCreationOpen } from "@/lib/env";
import { AppError, messages } from "@/lib/errors";
import { workspaceSchema } from "@/lib/validations/account";

/** "New workspace": anyone signed in may start one, and owns it, unless WORKSPACE_CREATION is closed. */
export const createWorkspaceAction = defineAction({
  permission: "signed-in",
  guard: () => {
    if (!workspaceCreationOpen()) throw new AppError("forbidden", messages.workspaceCreationClosed);
  },
  args: [workspaceSchema],
  work: async (user, { name }) => {
    const request = (await getMember())?.request ?? requestOrigin(await headers());
    const workspace = await createWorkspace(
      { actorId: user.id, actorLabel: actorLabel(user), ...request },
      name,
    );
    await chooseWorkspace(workspace.id);
    return { id: workspace.id };
  },
});
