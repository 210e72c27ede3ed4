import { randomBytes } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { eq } from "drizzle-orm";
import { getAuth } from "@/auth/server";
import { memberships } from "@/db/access-schema";
import { getDb } from "@/db/index";
import { insertWorkspace } from "@/db/queries/members";
import { insertUser } from "@/db/queries/users";
import { getDefaultWorkspace } from "@/db/queries/workspaces";
import type { Role } from "@/lib/roles";
import { resetRequest, setRequestCookies } from "./request-scope";

export const TEST_PASSWORD = "correct horse battery staple";
let hashed: Promise<string> | undefined;

/** A person with an account (one shared password, hashed once per file), in no workspace yet. */
export async function makeUser(name = "Test Person") {
  hashed ??= hashPassword(TEST_PASSWORD);
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}.${randomBytes(4).toString("hex")}@example.com`;
  return insertUser(await getDb(), { name, email, passwordHash: await hashed });
}

/** Adds `userId` to a workspace (the default one unless named) with `role`. */
export async function addMember(userId: string, role: Role, workspaceId?: string) {
  const db = await getDb();
  const id = workspaceId ?? (await getDefaultWorkspace()).id;
  await db
    .insert(memberships)
    .values({ workspaceId: id, userId, role })
    .onConflictDoUpdate({
      target: [memberships.workspaceId, memberships.userId],
      set: { role },
    });
  return id;
}

/** A second workspace with its own owner: what a member of "another workspace" looks like. */
export async function otherWorkspace() {
  const owner = await makeUser("Other Owner");
  const workspace = await insertWorkspace(await getDb(), "Other workspace", owner.id);
  return { owner, workspace };
}

/**
 * Signs `email` in through Better Auth's real endpoint and makes its session cookie the current
 * request's, so the server actions a test calls next run as that person. Each sign-in comes from its
 * own address, so the sign-in limiter does not count a whole test file against one.
 */
export async function actAs(email: string): Promise<string[]> {
  const auth = await getAuth();
  const response = await auth.handler(
    new Request("http://localhost:3000/api/auth/sign-in/email", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: "http://localhost:3000",
        "x-forwarded-for": `10.${randomBytes(3).join(".")}`,
      },
      body: JSON.stringify({ email, password: TEST_PASSWORD }),
    }),
  );
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const cookies = response.headers.getSetCookie();
  resetRequest();
  setRequestCookies(cookies);
  return cookies;
}

/** A member of the default workspace with `role`, signed in as the current request. */
export async function signInAs(role: Role, name = `${role} person`) {
  const user = await makeUser(name);
  const workspaceId = await addMember(user.id, role);
  await actAs(user.email);
  return { user, workspaceId };
}

export async function membershipOf(userId: string) {
  const db = await getDb();
  return db.select().from(memberships).where(eq(memberships.userId, userId));
}
