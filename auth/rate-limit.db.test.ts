import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect } from "vitest";
import { auditLog, rateLimits } from "@/db/access-schema";
import type { Database } from "@/db/index";
import { test as dbTest } from "@/testing/db-test";
import { FAILED_SIGN_INS_PER_EMAIL, getAuth, resetAuth, SIGN_IN_ATTEMPTS_PER_MINUTE } from "./server";

const randomAddress = () => `198.51.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

/** A POST to one of Better Auth's endpoints, from `from`, with a session cookie when given. */
function postAuth(path: string, body: unknown, from: string, cookie?: string) {
  return getAuth().then((auth) =>
    auth.handler(
      new Request(`http://localhost:3000/api/auth${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: "http://localhost:3000",
          "x-forwarded-for": from,
          ...(cookie ? { cookie } : {}),
        },
        body: JSON.stringify(body),
      }),
    ),
  );
}

const signIn = (email: string, password: string, from = randomAddress()) =>
  postAuth("/sign-in/email", { email, password }, from);

/** The email of a person with an account, new for each test. */
const it = dbTest.extend("email", async ({ members }) => (await members.makeUser("Limited Person")).email);

describe("sign-in limits", () => {
  it("answer a wrong password and an unknown email alike", async ({ email }) => {
    const wrong = await signIn(email, "not the right password");
    const unknown = await signIn(
      `nobody.${randomBytes(3).toString("hex")}@example.com`,
      "not the right password",
    );
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it(`allow ${SIGN_IN_ATTEMPTS_PER_MINUTE} attempts a minute from one address, then 429, even with the right password`, async ({
    db,
    members,
    email,
  }) => {
    const address = "203.0.113.23";
    const others = Array.from({ length: SIGN_IN_ATTEMPTS_PER_MINUTE }, () =>
      members.makeUser("Another Person"),
    );
    for (const other of await Promise.all(others)) {
      expect((await signIn(other.email, "wrong password", address)).status).toBe(401);
    }
    const limited = await signIn(email, members.password, address);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("x-retry-after"))).toBeGreaterThan(0);
    // Another address is not held back by this one.
    expect((await signIn(email, members.password)).status).toBe(200);

    // The counts live in the database: a new instance (a restarted server) still holds the address back.
    const rows = await db.select().from(rateLimits);
    expect(rows.some((r) => r.key.includes(address) && r.count >= SIGN_IN_ATTEMPTS_PER_MINUTE)).toBe(true);
    resetAuth();
    expect((await signIn(email, members.password, address)).status).toBe(429);
  });

  it(`hold an email back after ${FAILED_SIGN_INS_PER_EMAIL} failures from any addresses, known or not`, async ({
    members,
    email,
  }) => {
    const unknown = `nobody.${randomBytes(3).toString("hex")}@example.com`;
    for (let i = 0; i < FAILED_SIGN_INS_PER_EMAIL; i++) {
      expect((await signIn(email, `wrong password ${i}`)).status).toBe(401);
      expect((await signIn(unknown, `wrong password ${i}`)).status).toBe(401);
    }
    const held = await signIn(email, members.password);
    const heldUnknown = await signIn(unknown, "wrong password");
    expect(held.status).toBe(429);
    expect(heldUnknown.status).toBe(429);
    expect(await held.json()).toEqual(await heldUnknown.json());
  });

  it("record no attempt for something that is not an email", async ({ db }) => {
    const { auditLog } = await import("@/db/access-schema");
    const before = (await db.select().from(auditLog)).length;
    expect((await signIn("x".repeat(100_000), "wrong password")).status).toBe(400);
    expect((await db.select().from(auditLog)).length).toBe(before);
  });
});

describe("changing a password", () => {
  async function sessionOf(email: string, password: string, address: string): Promise<string> {
    const response = await signIn(email, password, address);
    expect(response.status).toBe(200);
    return (response.headers.getSetCookie()[0] ?? "").split(";")[0] as string;
  }

  const changePassword = (cookie: string, currentPassword: string, from = randomAddress()) =>
    postAuth(
      "/change-password",
      { currentPassword, newPassword: "a new password for this test" },
      from,
      cookie,
    );

  /** This email's audit entries of one action. */
  async function entries(db: Database, email: string, action: "password.changed" | "password.change_failed") {
    return db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.targetLabel, email)));
  }

  it(`counts failed attempts toward the email's hold, and records them in the audit log`, async ({
    db,
    members,
    email,
  }) => {
    const cookie = await sessionOf(email, members.password, randomAddress());
    // A stolen session guessing the current password from many addresses.
    for (let i = 0; i < FAILED_SIGN_INS_PER_EMAIL; i++) {
      expect((await changePassword(cookie, `guess ${i}`)).status).toBe(400);
    }
    // Held: even the right current password, and sign-in too.
    expect((await changePassword(cookie, members.password)).status).toBe(429);
    expect((await signIn(email, members.password)).status).toBe(429);
    const failed = await entries(db, email, "password.change_failed");
    expect(failed).toHaveLength(FAILED_SIGN_INS_PER_EMAIL);
    expect(failed[0]).toMatchObject({ actorLabel: expect.stringContaining(email), targetType: "user" });
  });

  it(`allows ${SIGN_IN_ATTEMPTS_PER_MINUTE} attempts a minute from one address`, async ({
    members,
    email,
  }) => {
    const address = "203.0.113.77";
    const cookie = await sessionOf(email, members.password, randomAddress());
    for (let i = 0; i < SIGN_IN_ATTEMPTS_PER_MINUTE; i++) await changePassword(cookie, `guess ${i}`, address);
    expect((await changePassword(cookie, members.password, address)).status).toBe(429);
  });

  it("records a change that succeeds", async ({ db, members, email }) => {
    const cookie = await sessionOf(email, members.password, randomAddress());
    expect((await changePassword(cookie, members.password)).status).toBe(200);
    expect(await entries(db, email, "password.changed")).toHaveLength(1);
  });
});
