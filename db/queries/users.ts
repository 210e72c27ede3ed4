import "server-only";
import { and, count, eq, lte, sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { accounts, users, verifications } from "../access-schema";
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
  person: { name: string; email: string; passwordHash: string; emailVerified?: boolean },
): Promise<{ id: string; name: string; email: string }> {
  const [user] = await exec
    .insert(users)
    .values({ name: person.name, email: person.email.toLowerCase(), emailVerified: person.emailVerified })
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

/**
 * Claims the right to mail `userId` a verification link: false when one went out less than `seconds`
 * ago (from any server: the mark lives in Better Auth's verifications table, taken under the user's
 * row lock), so a signed-in account cannot make leadhook flood a mailbox.
 */
export async function claimVerificationMail(userId: string, seconds: number): Promise<boolean> {
  const db = await getDb();
  const identifier = `verification-mail:${userId}`;
  return db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
    await tx
      .delete(verifications)
      .where(and(eq(verifications.identifier, identifier), lte(verifications.expiresAt, sql`now()`)));
    const [recent] = await tx
      .select({ id: verifications.id })
      .from(verifications)
      .where(eq(verifications.identifier, identifier));
    if (recent) return false;
    await tx.insert(verifications).values({
      identifier,
      value: "sent",
      expiresAt: sql`now() + make_interval(secs => ${seconds})`,
    });
    return true;
  });
}
