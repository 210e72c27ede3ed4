import "server-only";
import { count, eq } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { accounts, users } from "../access-schema";
import { type Executor, getDb } from "../index";

/** Whether anyone has an account yet: until then every admin page leads to the first-run page. */
export async function hasAnyUser(): Promise<boolean> {
  const db = await getDb();
  const [row] = await db.select({ n: count() }).from(users);
  return (row?.n ?? 0) > 0;
}

/** Inserts a person and their email-and-password sign-in; the password arrives hashed. */
export async function insertUser(
  exec: Executor,
  person: { name: string; email: string; passwordHash: string },
): Promise<{ id: string; name: string; email: string }> {
  const [user] = await exec
    .insert(users)
    .values({ name: person.name, email: person.email.toLowerCase() })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id, name: users.name, email: users.email });
  if (!user) {
    throw new AppError("conflict", "An account with this email already exists.", {
      fieldErrors: { email: "An account with this email already exists" },
    });
  }
  await exec
    .insert(accounts)
    .values({ userId: user.id, accountId: user.id, providerId: "credential", password: person.passwordHash });
  return user;
}

export async function findUserByEmail(email: string) {
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  return user;
}
