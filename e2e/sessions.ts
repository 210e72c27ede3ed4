import { request } from "@playwright/test";

export type Role = "owner" | "admin" | "viewer";
export type Account = { email: string; password: string };
export type StorageState = {
  cookies: {
    name: string;
    value: string;
    domain: string;
    path: string;
    expires: number;
    httpOnly: boolean;
    secure: boolean;
    sameSite: "Strict" | "Lax" | "None";
  }[];
  origins: { origin: string; localStorage: { name: string; value: string }[] }[];
};

/**
 * The accounts the `role` fixture signs in as: LEADHOOK_QA_<ROLE>_EMAIL and LEADHOOK_QA_PASSWORD when
 * set (create them once with `npm run users:create`), else the ones `npm test` creates for itself.
 */
export function qaAccountsFromEnv(
  env: Record<string, string | undefined> = process.env,
): Record<Role, Account> {
  const password = env.LEADHOOK_QA_PASSWORD ?? E2E_PASSWORD;
  const account = (role: Role): Account => ({
    email: env[`LEADHOOK_QA_${role.toUpperCase()}_EMAIL`] ?? `${role}@e2e.test`,
    password,
  });
  return { owner: account("owner"), admin: account("admin"), viewer: account("viewer") };
}

/** The password of the accounts `npm test` creates (testing/e2e-accounts.sh); never a real one. */
export const E2E_PASSWORD = "e2e password never used in production";

/**
 * Signs `account` in through the app's sign-in endpoint (no form) and returns the session as a
 * Playwright storage state, for `browser.newContext({ storageState })` or `test.use`.
 */
export async function signInState(baseURL: string, account: Account): Promise<StorageState> {
  const context = await request.newContext({ baseURL });
  try {
    const response = await context.post("/api/auth/sign-in/email", {
      data: { email: account.email, password: account.password },
      headers: { origin: new URL(baseURL).origin },
      maxRedirects: 0,
    });
    if (!response.ok()) {
      throw new Error(
        `Signing in ${account.email} at ${baseURL} failed (${response.status()}): ${await response.text()}. ` +
          "Create the account with `npm run users:create` first.",
      );
    }
    const host = new URL(baseURL).hostname;
    const cookies = response
      .headersArray()
      .filter((h) => h.name.toLowerCase() === "set-cookie")
      .map((h) => parseSetCookie(h.value, host));
    return { cookies, origins: [] };
  } finally {
    await context.dispose();
  }
}

function parseSetCookie(header: string, domain: string): StorageState["cookies"][number] {
  const [pair = "", ...attributes] = header.split(";").map((part) => part.trim());
  const eq = pair.indexOf("=");
  const attrs = new Map(
    attributes.map((a) => {
      const i = a.indexOf("=");
      return i === -1 ? [a.toLowerCase(), ""] : [a.slice(0, i).toLowerCase(), a.slice(i + 1)];
    }),
  );
  const maxAge = attrs.get("max-age");
  const sameSite = (attrs.get("samesite") ?? "Lax").toLowerCase();
  return {
    name: pair.slice(0, eq),
    value: pair.slice(eq + 1),
    domain,
    path: attrs.get("path") || "/",
    expires: maxAge ? Math.floor(Date.now() / 1000) + Number(maxAge) : -1,
    httpOnly: attrs.has("httponly"),
    secure: attrs.has("secure"),
    sameSite: sameSite === "strict" ? "Strict" : sameSite === "none" ? "None" : "Lax",
  };
}
