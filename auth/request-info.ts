import { getIP } from "better-auth/api";
import { getEnv } from "@/lib/env";

/** Where a request came from, as the audit log records it. */
export type RequestInfo = { ipAddress: string | null; userAgent: string | null };

/**
 * The client address and user agent of a request, the address resolved exactly as the sign-in limiter
 * resolves it (Better Auth's rule): with TRUSTED_PROXIES, the last X-Forwarded-For hop before them;
 * without, a lone X-Forwarded-For value (Next.js sets it to the socket's address when no proxy did).
 */
export function requestOrigin(
  headers: Headers,
  trustedProxies: string[] = getEnv().TRUSTED_PROXIES,
): RequestInfo {
  return {
    ipAddress: getIP(headers, { advanced: { ipAddress: { trustedProxies } } }),
    userAgent: headers.get("user-agent")?.slice(0, 300) ?? null,
  };
}

/**
 * The origins a browser may post from when BETTER_AUTH_URL is not set: the host it sent the request to,
 * over either scheme (the rule Next.js applies to server actions). A cross-site form names another
 * origin and is refused.
 */
export function sameHostOrigins(headers: Headers | undefined): string[] {
  const hosts = [headers?.get("x-forwarded-host"), headers?.get("host")]
    .flatMap((value) => value?.split(",") ?? [])
    .map((host) => host.trim())
    .filter(Boolean);
  return hosts.flatMap((host) => [`https://${host}`, `http://${host}`]);
}

/**
 * The origin links leadhook hands out point at (invitations, email verification): BETTER_AUTH_URL when
 * set, else the one this request came to.
 */
export function appOrigin(
  headers: Headers,
  configured: string | undefined = getEnv().BETTER_AUTH_URL,
): string {
  if (configured) return new URL(configured).origin;
  const host =
    headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host") || "localhost:3000";
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || "http";
  return `${proto}://${host}`;
}

/**
 * The origin of links leadhook mails: BETTER_AUTH_URL, which the environment requires with SMTP_URL. Never
 * the request's Host, which the sender of the request chooses.
 */
export function mailedLinkOrigin(configured: string | undefined = getEnv().BETTER_AUTH_URL): string {
  if (!configured) throw new Error("BETTER_AUTH_URL is required to mail links (see lib/env.ts)");
  return new URL(configured).origin;
}
