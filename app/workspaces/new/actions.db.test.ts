import { count, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { memberships } from "@/db/access-schema";
import { getDb } from "@/db/index";
import { workspaces } from "@/db/schema";
import { signInAs } from "@/testing/members";
import { createWorkspaceAction } from "./actions";

// Who may start a workspace is the operator's setting: anyone signed in may (open), or only the operator
// and the first-run page (closed, the production default): an account holder cannot make themselves owner.
afterEach(() => vi.unstubAllEnvs());

async function workspaceCount() {
  const [row] = await (await getDb()).select({ n: count() }).from(workspaces);
  return row?.n ?? 0;
}

describe("New workspace", () => {
  it("is refused on a server whose WORKSPACE_CREATION is closed, creating nothing", async () => {
    vi.stubEnv("WORKSPACE_CREATION", "closed");
    const { user } = await signInAs("viewer", "Closed Starter");
    const before = await workspaceCount();
    const result = await createWorkspaceAction({ name: "Squatted" });
    expect(result).toMatchObject({
      ok: false,
      code: "forbidden",
      message: expect.stringMatching(/operator/),
    });
    expect(await workspaceCount()).toBe(before);
    const owned = await (await getDb()).select().from(memberships).where(eq(memberships.userId, user.id));
    expect(owned.every((m) => m.role !== "owner")).toBe(true);
  });

  it("is closed by default in production, open by default elsewhere", async () => {
    const { getEnv } = await import("@/lib/env");
    expect(
      getEnv({ ...process.env, NODE_ENV: "production", WORKSPACE_CREATION: "" }).WORKSPACE_CREATION,
    ).toBe("closed");
    expect(
      getEnv({ ...process.env, NODE_ENV: "development", WORKSPACE_CREATION: "" }).WORKSPACE_CREATION,
    ).toBe("open");
    expect(() => getEnv({ ...process.env, WORKSPACE_CREATION: "sometimes" })).toThrow(
      /WORKSPACE_CREATION must be open or closed/,
    );
  });

  it("makes the signed-in person the owner of a new workspace when open", async () => {
    vi.stubEnv("WORKSPACE_CREATION", "open");
    const { user } = await signInAs("viewer", "Open Starter");
    const result = await createWorkspaceAction({ name: "My own" });
    expect(result).toMatchObject({ ok: true });
    const [membership] = await (await getDb())
      .select()
      .from(memberships)
      .where(eq(memberships.workspaceId, (result as { id: string }).id));
    expect(membership).toMatchObject({ userId: user.id, role: "owner" });
  });
});
