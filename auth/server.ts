import "server-only";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { createAuthMiddleware, isAPIError } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { accounts, rateLimits, sessions, users, verifications } from "@/db/access-schema";
import { getDb } from "@/db/index";
import { recordSignIn } from "@/db/queries/audit-log";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { getAuthSecret } from "@/lib/secrets-key";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "@/lib/validations/account";
import { requestOrigin, sameHostOrigins } from "./request-info";

/** Sign-in attempts one address may make per minute; the limiter's counts live in the database. */
export const SIGN_IN_ATTEMPTS_PER_MINUTE = 10;

function createAuth(db: Awaited<ReturnType<typeof getDb>>) {
  const env = getEnv();
  return betterAuth({
    appName: "leadhook",
    secret: getAuthSecret(env),
    baseURL: env.BETTER_AUTH_URL,
    // Without a configured URL, `next start` reports every request as localhost: trust the host the
    // browser actually addressed instead, so 127.0.0.1, a LAN address or a proxied domain can sign in.
    trustedOrigins: env.BETTER_AUTH_URL ? undefined : (request) => sameHostOrigins(request?.headers),
    basePath: "/api/auth",
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: {
        user: users,
        session: sessions,
        account: accounts,
        verification: verifications,
        rateLimit: rateLimits,
      },
    }),
    emailAndPassword: {
      enabled: true,
      // People join by invitation or through the first-run page, never by open sign-up.
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      revokeSessionsOnPasswordReset: true,
    },
    disabledPaths: ["/sign-up/email", "/update-user", "/change-email", "/delete-user"],
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 100,
      customRules: { "/sign-in/email": { window: 60, max: SIGN_IN_ATTEMPTS_PER_MINUTE } },
    },
    advanced: {
      useSecureCookies: env.NODE_ENV === "production",
      database: { generateId: "uuid" },
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
    },
    telemetry: { enabled: false },
    logger: {
      log: (level, message) => logger[level]({ component: "auth" }, message),
    },
    hooks: {
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const returned = ctx.context.returned;
        // Over HTTP the request's headers; from a server action (first run, invitations) the ones it passed.
        const headers = ctx.request?.headers ?? ctx.headers;
        const request = headers ? requestOrigin(headers) : { ipAddress: null, userAgent: null };
        const email = String((ctx.body as { email?: unknown } | undefined)?.email ?? "").toLowerCase();
        const succeeded = !isAPIError(returned) && ctx.context.newSession;
        await recordSignIn({
          email,
          userId: succeeded ? ctx.context.newSession?.user.id : undefined,
          succeeded: Boolean(succeeded),
          ...request,
        }).catch((error) => logger.error({ err: error }, "sign-in could not be recorded in the audit log"));
      }),
    },
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { leadhookAuth?: Promise<Auth> };

/** The one Better Auth instance, created on first use (the database opens lazily). */
export function getAuth(): Promise<Auth> {
  globalForAuth.leadhookAuth ??= getDb().then(createAuth);
  return globalForAuth.leadhookAuth;
}

/** Forgets the instance (tests that close and reopen the database). */
export function resetAuth(): void {
  globalForAuth.leadhookAuth = undefined;
}
