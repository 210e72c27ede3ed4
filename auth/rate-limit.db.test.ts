import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rateLimits } from "@/db/access-schema";
import { getDb } from "@/db/index";
import { makeUser, TEST_PASSWORD } from "@/testing/members";
import { getAuth, resetAuth, SIGN_IN_ATTEMPTS_PER_MINUTE } from "./server";

const address = "198.51.100.23";

function signIn(email: string, password: string, from = address) {
  return getAuth().then((auth) =>
    auth.handler(
      new Request("http://localhost:3000/api/auth/sign-in/email", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: "http://localhost:3000",
          "x-forwarded-for": from,
        },
        body: JSON.stringify({ email, password }),
      }),
    ),
  );
}

let email: string;

beforeAll(async () => {
  email = (await makeUser("Limited Person")).email;
});

describe("the sign-in limiter", () => {
  it("answers a wrong password and an unknown email alike", async () => {
    const wrong = await signIn(email, "not the right password", "198.51.100.1");
    const unknown = await signIn("nobody@example.com", "not the right password", "198.51.100.1");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it(`allows ${SIGN_IN_ATTEMPTS_PER_MINUTE} attempts a minute from one address, then 429, even for the right password`, async () => {
    for (let i = 0; i < SIGN_IN_ATTEMPTS_PER_MINUTE; i++) {
      expect((await signIn(email, `wrong password ${i}`)).status).toBe(401);
    }
    const limited = await signIn(email, TEST_PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("x-retry-after"))).toBeGreaterThan(0);
    // Another address is not held back by this one.
    expect((await signIn(email, TEST_PASSWORD, "198.51.100.99")).status).toBe(200);
  });

  it("keeps its counts in the database, so a restart does not reset them", async () => {
    const db = await getDb();
    const rows = await db.select().from(rateLimits);
    expect(rows.some((r) => r.key.includes(address) && r.count >= SIGN_IN_ATTEMPTS_PER_MINUTE)).toBe(true);
    resetAuth(); // a new Better Auth instance, as after a server restart
    expect((await signIn(email, TEST_PASSWORD)).status).toBe(429);
    await db.delete(rateLimits).where(eq(rateLimits.key, rows[0]?.key ?? ""));
  });
});
