"use server";

import { headers } from "next/headers";
import { chooseWorkspace, getMember, getSignedInUser } from "@/auth/member";
import { requestOrigin } from "@/auth/request-info";
import { actorLabel } from "@/db/queries/audit-log";
import { createWorkspace } from "@/db/queries/members";
import { workspaceCreationOpen } from "@/lib/env";
import { AppError, messages } from "@/lib/errors";
import { parseInput, runAction } from "@/lib/run-action";
import { workspaceSchema } from "@/lib/validations/account";

/** "New workspace": anyone signed in may start one, and owns it, unless WORKSPACE_CREATION is closed. */
export async function createWorkspaceAction(input: unknown) {
  return runAction(async () => {
    const user = await getSignedInUser();
    if (!user) throw new AppError("unauthorized", messages.sessionEnded);
    if (!workspaceCreationOpen()) {
      throw new AppError("forbidden", messages.workspaceCreationClosed);
    }
    const { name } = parseInput(workspaceSchema, input);
    const request = (await getMember())?.request ?? requestOrigin(await headers());
    const workspace = await createWorkspace(
      { actorId: user.id, actorLabel: actorLabel(user), ...request },
      name,
    );
    await chooseWorkspace(workspace.id);
    return { id: workspace.id };
  });
}
