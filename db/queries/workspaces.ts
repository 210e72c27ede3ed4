import "server-only";
import { eq } from "drizzle-orm";
import { type Executor, getDb } from "../index";
import { type Workspace, workspaces } from "../schema";

export const DEFAULT_WORKSPACE_SLUG = "default";

/**
 * The workspace the seed fills and the first owner claims (slug "default"), created if missing. Requests
 * act in the member's chosen workspace instead; scripts and tests that need "the" workspace use this one.
 */
export async function getDefaultWorkspace(db: Executor | undefined = undefined): Promise<Workspace> {
  const exec = db ?? (await getDb());
  const [found] = await exec.select().from(workspaces).where(eq(workspaces.slug, DEFAULT_WORKSPACE_SLUG));
  if (found) return found;
  await exec
    .insert(workspaces)
    .values({ slug: DEFAULT_WORKSPACE_SLUG, name: "Default workspace" })
    .onConflictDoNothing({ target: workspaces.slug });
  const [created] = await exec.select().from(workspaces).where(eq(workspaces.slug, DEFAULT_WORKSPACE_SLUG));
  if (!created) throw new Error("The default workspace could not be created");
  return created;
}
