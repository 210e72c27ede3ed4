/**
 * Where to go after signing in: a path on this site only. Anything else (another origin, `//host`,
 * a backslash trick, a missing value) falls back to the Processes page.
 */
export function safeNextPath(next: unknown, fallback = "/processes"): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//")) return fallback;
  if (/[\\\s]/.test(next) || next.startsWith("/api/")) return fallback;
  return next;
}
