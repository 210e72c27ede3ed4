import { count } from "drizzle-orm";
import { describe, expect } from "vitest";
import { z } from "zod";
import type { Database } from "@/db/index";
import { createApiKey } from "@/db/queries/api-keys";
import { apiKeys } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { it } from "@/testing/db-test";
import { defineAction, fieldArg, idArg } from "./action";

// The builder every server action is made with: who may call comes first, then every argument, then the
// work; what the caller is told never carries internals.

const keyCount = async (db: Database) => (await db.select({ n: count() }).from(apiKeys))[0]?.n;

/** Records whether its work ran and what it was given. */
function probe() {
  const seen: unknown[][] = [];
  const action = defineAction({
    permission: "keys:manage",
    args: [idArg("This key does not exist."), z.object({ name: z.string().min(1, "Name it") })],
    work: async (member, id, input) => {
      seen.push([member.workspace.id, id, input]);
      return { id };
    },
  });
  return { action, seen };
}

describe("defineAction", () => {
  // Every test takes `request`: anonymous when it starts (the fixture resets it before and after).
  it("refuses an anonymous caller before any argument is looked at", async ({ request: _ }) => {
    const { action, seen } = probe();
    const poisoned = {
      get name(): string {
        throw new Error("an argument was read");
      },
    };
    const result = await action("not-a-workspace", "not-a-uuid", poisoned);
    expect(result).toMatchObject({ ok: false, code: "unauthorized" });
    expect(seen).toEqual([]);
  });

  it("answers a malformed bound id as not_found, with nothing changed and the work not run", async ({
    db,
    request,
  }) => {
    const { workspaceId } = await request.signInAs("owner");
    const { record } = await createApiKey(workspaceId, "kept");
    const { action, seen } = probe();
    const before = await keyCount(db);
    for (const forged of [`${record.id}' or 1=1 --`, "42", { id: record.id }, undefined]) {
      expect(await action(workspaceId, forged as string, { name: "x" })).toEqual({
        ok: false,
        code: "not_found",
        message: "This key does not exist.",
        fieldErrors: {},
      });
    }
    expect(seen).toEqual([]);
    expect(await keyCount(db)).toBe(before);
    expect(await action(workspaceId, record.id, { name: "x" })).toEqual({ ok: true, id: record.id });
    expect(seen).toEqual([[workspaceId, record.id, { name: "x" }]]);
  });

  it("answers a form that fails its schema with invalid_request and each field's problem", async ({
    request,
  }) => {
    const { workspaceId } = await request.signInAs("owner");
    const { action, seen } = probe();
    const id = crypto.randomUUID();
    expect(await action(workspaceId, id, { name: "" })).toEqual({
      ok: false,
      code: "invalid_request",
      message: "Fix the errors below.",
      fieldErrors: { name: "Name it" },
    });
    expect(seen).toEqual([]);
  });

  it("names a scalar argument's problem after its field", async ({ request }) => {
    const { workspaceId } = await request.signInAs("owner");
    const action = defineAction({
      permission: "read",
      args: [fieldArg("role", z.enum(["admin", "viewer"], "Choose a role"))],
      work: async (_member, role) => ({ role }),
    });
    expect(await action(workspaceId, "emperor" as never)).toMatchObject({
      ok: false,
      code: "invalid_request",
      fieldErrors: { role: "Choose a role" },
    });
    expect(await action(workspaceId, "viewer")).toEqual({ ok: true, role: "viewer" });
  });

  it("refuses a role the permission does not allow, before the arguments", async ({ request }) => {
    const { workspaceId } = await request.signInAs("viewer");
    const { action, seen } = probe();
    expect(await action(workspaceId, "not-a-uuid", {} as never)).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(seen).toEqual([]);
  });

  it("answers an unexpected error with the generic message and no internals", async ({ request }) => {
    const { workspaceId } = await request.signInAs("owner");
    const action = defineAction({
      permission: "read",
      args: [],
      work: async () => {
        throw new Error('relation "secret_table" does not exist at 10.0.0.7:5432');
      },
    });
    const result = await action(workspaceId);
    expect(result).toEqual({
      ok: false,
      code: "unavailable",
      message: "Something went wrong on our side; nothing was saved. Try again in a moment.",
      fieldErrors: {},
    });
    expect(JSON.stringify(result)).not.toMatch(/secret_table|10\.0\.0\.7/);
  });

  it("passes an AppError's code and message through", async ({ request }) => {
    const { workspaceId } = await request.signInAs("owner");
    const action = defineAction({
      permission: "read",
      args: [],
      work: async () => {
        throw new AppError("conflict", "Already done.");
      },
    });
    expect(await action(workspaceId)).toMatchObject({
      ok: false,
      code: "conflict",
      message: "Already done.",
    });
  });

  it("gives signed-in and public actions their own refusals", async ({ request }) => {
    const signedIn = defineAction({
      permission: "signed-in",
      signedOut: "Sign in again to accept.",
      args: [z.string()],
      work: async (user, text) => ({ who: user.email, text }),
    });
    const open = defineAction({
      permission: "public",
      args: [z.object({ n: z.number() })],
      work: async ({ n }) => ({ n }),
    });
    expect(await signedIn("hello")).toMatchObject({
      ok: false,
      code: "unauthorized",
      message: "Sign in again to accept.",
    });
    expect(await open({ n: 2 })).toEqual({ ok: true, n: 2 });
    expect(await open({ n: "2" } as never)).toMatchObject({ ok: false, code: "invalid_request" });
    const { user } = await request.signInAs("viewer");
    expect(await signedIn("hello")).toEqual({ ok: true, who: user.email, text: "hello" });
    expect(signedIn.declaration.permission).toBe("signed-in");
  });
});
