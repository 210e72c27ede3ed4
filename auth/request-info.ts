/** Where a request came from, as the audit log records it. */
export type RequestInfo = { ipAddress: string | null; userAgent: string | null };

/**
 * The client address and user agent of a request. The address is the first X-Forwarded-For entry: the
 * Next.js server sets the header to the socket's address when no proxy in front of it did.
 */
export function requestOrigin(headers: Headers): RequestInfo {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return {
    ipAddress: forwarded ? forwarded.replace(/^::ffff:/, "") : null,
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
