import { describe, expect } from "vitest";
import { AppError } from "@/lib/errors";
import type { Permission } from "@/lib/roles";
import { test as dbTest } from "@/testing/db-test";
import { processWithCallbacks } from "@/testing/fixtures";
import { type AuditContext, actorLabel } from "./audit-log";
import { getProcessSettings, saveProcessSettings } from "./callbacks";
import { createInvitation, listPendingInvitations } from "./invitations";
import { changeMemberRole, removeMember } from "./members";

// requireMember checks a role when the action starts; the change re-reads it inside its own transaction,
// locked, so a demotion or removal that commits first wins over an action that passed the first check a
// moment before (a slow DNS check, many requests in flight). The contexts below are what each action
// carried from its first check.
const contextOf = (
  workspaceId: string,
  user: { id: string; name: string; email: string },
  permission: Permission,
) => ({
  workspaceId,
  actorId: user.id,
  actorLabel: actorLabel(user),
  ipAddress: "198.51.100.9",
  userAgent: "vitest",
  permission,
});

const outcome = (work: Promise<unknown>) =>
  work.then(
    () => "stored" as const,
    (error: unknown) => (error instanceof AppError ? error.code : error),
  );

/** The owner of the default workspace who demotes and removes the others, once for the file. */
const it = dbTest.extend(
  "asOwner",
  { scope: "file" },
  async ({ workspaceId, members }): Promise<AuditContext> => {
    const owner = await members.makeUser("Race Owner");
    await members.addMember(owner.id, "owner", workspaceId);
    return contextOf(workspaceId, owner, "members:manage");
  },
);

describe("a member's change checks their role again inside its transaction", () => {
  it("leaves no invitation of an admin demoted while firing them, and refuses every one after", async ({
    workspaceId,
    members,
    asOwner,
  }) => {
    const admin = await members.makeUser("Racing Admin");
    await members.addMember(admin.id, "admin", workspaceId);
    const asAdmin = contextOf(workspaceId, admin, "members:invite");
    const invite = (i: number) =>
      outcome(createInvitation(asAdmin, { email: `race.${i}.${admin.id}@example.com`, role: "admin" }));

    const during = Array.from({ length: 40 }, (_, i) => invite(i));
    await changeMemberRole(asOwner, admin.id, "viewer");
    const after = await Promise.all(Array.from({ length: 10 }, (_, i) => invite(100 + i)));
    const racing = await Promise.all(during);

    expect(after).toEqual(Array(10).fill("forbidden"));
    expect(racing.every((r) => r === "stored" || r === "forbidden")).toBe(true);
    const pending = await listPendingInvitations(workspaceId);
    expect(pending.filter((p) => p.invitedBy === admin.name)).toEqual([]);
  });

  it("refuses an admin's invitation above the role they hold by the time it commits", async ({
    workspaceId,
    members,
    asOwner,
  }) => {
    const owner2 = await members.makeUser("Demoted Owner");
    await members.addMember(owner2.id, "owner", workspaceId);
    const stale = contextOf(workspaceId, owner2, "members:invite");
    await changeMemberRole(asOwner, owner2.id, "admin");
    await expect(
      createInvitation(stale, { email: `above.${owner2.id}@example.com`, role: "owner" }),
    ).rejects.toMatchObject({
      code: "forbidden",
      fieldErrors: { role: "Choose a role no higher than your own" },
    });
    // What an admin may still hand out goes through.
    await expect(
      createInvitation(stale, { email: `viewer.${owner2.id}@example.com`, role: "viewer" }),
    ).resolves.toMatchObject({ invitation: { role: "viewer" } });
  });

  it("refuses a settings save of an admin removed before it commits, and changes nothing", async ({
    workspaceId,
    members,
    asOwner,
  }) => {
    const admin = await members.makeUser("Removed Admin");
    await members.addMember(admin.id, "admin", workspaceId);
    const { process } = await processWithCallbacks("Race save", [{ url: "https://hooks.example.com/a" }]);
    const before = await getProcessSettings(workspaceId, process.id);
    if (!before) throw new Error("process vanished");

    await removeMember(asOwner, admin.id);
    const values = { ...before.values, description: "changed by a removed admin" };
    await expect(
      saveProcessSettings(workspaceId, process.id, values, contextOf(workspaceId, admin, "processes:write")),
    ).rejects.toMatchObject({ code: "not_found" });
    expect((await getProcessSettings(workspaceId, process.id))?.values).toEqual(before.values);
  });
});
