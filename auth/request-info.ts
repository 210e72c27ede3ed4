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
