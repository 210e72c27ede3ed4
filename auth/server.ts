import "server-only";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware, getSessionFromCtx, isAPIError } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { accounts, rateLimits, sessions, users, verifications } from "@/db/access-schema";
import { getDb } from "@/db/index";
import { countRecentFailedSignIns, recordSignIn } from "@/db/queries/audit-log";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { getAuthSecret } from "@/lib/secrets-key";
import { emailSchema, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "@/lib/validations/account";
import { requestOrigin, sameHostOrigins } from "./request-info";

/** Sign-in attempts one address may make per minute; the limiter's counts live in the database. */
export const SIGN_IN_ATTEMPTS_PER_MINUTE = 10;
/**
 * Failed sign-ins one email may collect in FAILED_SIGN_IN_MINUTES before it is held back, from any
 * number of addresses (and alike for emails with no account, so the hold says nothing about who exists).
 */
export const FAILED_SIGN_INS_PER_EMAIL = 10;
export const FAILED_SIGN_IN_MINUTES = 15;

/** The email a sign-in names, if it is one worth recording (Better Auth refuses the rest with 400). */
function signInEmail(body: unknown): string | null {
  const parsed = emailSchema.safeParse((body as { email?: unknown } | undefined)?.email);
  return parsed.success ? parsed.data : null;
}

function createAuth(db: Awaited<ReturnType<typeof getDb>>) {
  const env = getEnv();
  return betterAuth({
    appName: "leadhook",
    secret: getAuthSecret(env),
    baseURL: env.BETTER_AUTH_URL,
    // Without a configured URL, `next start` reports every request as localhost: trust the host the
    // browser actually addressed instead (the rule Next.js applies to server actions). In production
    // the session cookie is Secure, so browsers keep it only over HTTPS (or on localhost).
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
    // Verification links are mailed by auth/email-verification.ts; this records the ones that worked.
    emailVerification: {
      afterEmailVerification: async (user, request) => {
        const origin = request ? requestOrigin(request.headers) : { ipAddress: null, userAgent: null };
        await recordSignIn({
          email: user.email,
          userId: user.id,
          succeeded: true,
          kind: "email_verification",
          ...origin,
        }).catch((error) => logger.error({ err: error }, "email verification could not be audited"));
      },
    },
    // Verification links are mailed by a server action, never on request from an anonymous caller
    // (/send-verification-email is off); /verify-email, which checks them, stays open.
    disabledPaths: [
      "/sign-up/email",
      "/update-user",
      "/change-email",
      "/delete-user",
      "/send-verification-email",
    ],
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 100,
      customRules: {
        "/sign-in/email": { window: 60, max: SIGN_IN_ATTEMPTS_PER_MINUTE },
        "/change-password": { window: 60, max: SIGN_IN_ATTEMPTS_PER_MINUTE },
      },
    },
    advanced: {
      useSecureCookies: env.NODE_ENV === "production",
      ipAddress: { trustedProxies: env.TRUSTED_PROXIES },
      database: { generateId: "uuid" },
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
    },
    telemetry: { enabled: false },
    logger: {
      // Without BETTER_AUTH_URL each request's own host is used, which is all leadhook needs (the links it
      // mails are built from the request, and it has no OAuth callbacks): the library's warning about it
      // is kept for debugging only.
      log: (level, message) =>
        logger[message.includes("Base URL is not set") ? "debug" : level]({ component: "auth" }, message),
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        // Changing a password also checks the current one: a stolen session must not make it a way around
        // the per-email hold.
        const email =
          ctx.path === "/sign-in/email"
            ? signInEmail(ctx.body)
            : ctx.path === "/change-password"
              ? ((await getSessionFromCtx(ctx))?.user.email ?? null)
              : null;
        if (!email) return;
        if ((await countRecentFailedSignIns(email, FAILED_SIGN_IN_MINUTES)) >= FAILED_SIGN_INS_PER_EMAIL) {
          throw new APIError("TOO_MANY_REQUESTS", {
            message: `Too many failed sign-ins for this email. Try again in ${FAILED_SIGN_IN_MINUTES} minutes.`,
          });
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        const returned = ctx.context.returned;
        // Over HTTP the request's headers; from a server action (first run, invitations) the ones it passed.
        const headers = ctx.request?.headers ?? ctx.headers;
        const request = headers ? requestOrigin(headers) : { ipAddress: null, userAgent: null };
        let attempt: Parameters<typeof recordSignIn>[0] | undefined;
        if (ctx.path === "/sign-in/email") {
          const email = signInEmail(ctx.body);
          const succeeded = !isAPIError(returned) && ctx.context.newSession;
          if (email) {
            const userId = succeeded ? ctx.context.newSession?.user.id : undefined;
            attempt = { email, userId, succeeded: Boolean(succeeded), ...request };
          }
        } else if (ctx.path === "/change-password") {
          const user = ctx.context.session?.user ?? (await getSessionFromCtx(ctx))?.user;
          // A refusal before the password was checked (the limiter, the hold) is no guess: not recorded.
          const checked = !isAPIError(returned) || returned.body?.code === "INVALID_PASSWORD";
          if (user && checked) {
            const succeeded = !isAPIError(returned);
            attempt = { email: user.email, userId: user.id, succeeded, kind: "password_change", ...request };
          }
        }
        if (!attempt) return;
        await recordSignIn(attempt).catch((error) =>
          logger.error({ err: error }, "sign-in could not be recorded in the audit log"),
        );
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
