import { count, eq } from "drizzle-orm";
import { describe, expect, vi } from "vitest";
import { memberships } from "@/db/access-schema";
import type { Database } from "@/db/index";
import { workspaces } from "@/db/schema";
import { test as dbTest } from "@/testing/db-test";
import { createWorkspaceAction } from "./actions";

// Who may start a workspace is the operator's setting: anyone signed in may (open), or only the operator
// and the first-run page (closed, the production default): an account holder cannot make themselves owner.
const it = dbTest.extend(
  /** Sets the server's WORKSPACE_CREATION for one test (vi.stubEnv), and puts it back as it was after it. */
  "workspaceCreation",
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
  async ({}, { onCleanup }) => {
    const before = process.env.WORKSPACE_CREATION;
    onCleanup(() => {
      vi.stubEnv("WORKSPACE_CREATION", before);
    });
    return (mode: "open" | "closed") => {
      vi.stubEnv("WORKSPACE_CREATION", mode);
    };
  },
);

async function workspaceCount(db: Database) {
  const [row] = await db.select({ n: count() }).from(workspaces);
  return row?.n ?? 0;
}

describe("New workspace", () => {
  it("is refused on a server whose WORKSPACE_CREATION is closed, creating nothing", async ({
    db,
    request,
    workspaceCreation,
  }) => {
    workspaceCreation("closed");
    const { user } = await request.signInAs("viewer", "Closed Starter");
    const before = await workspaceCount(db);
    const result = await createWorkspaceAction({ name: "Squatted" });
    expect(result).toMatchObject({
      ok: false,
      code: "forbidden",
      message: expect.stringMatching(/operator/),
    });
    expect(await workspaceCount(db)).toBe(before);
    const owned = await db.select().from(memberships).where(eq(memberships.userId, user.id));
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

  it("makes the signed-in person the owner of a new workspace when open", async ({
    db,
    request,
    workspaceCreation,
  }) => {
    workspaceCreation("open");
    const { user } = await request.signInAs("viewer", "Open Starter");
    const result = await createWorkspaceAction({ name: "My own" });
    expect(result).toMatchObject({ ok: true });
    const [membership] = await db
      .select()
      .from(memberships)
      .where(eq(memberships.workspaceId, (result as { id: string }).id));
    expect(membership).toMatchObject({ userId: user.id, role: "owner" });
  });
});
