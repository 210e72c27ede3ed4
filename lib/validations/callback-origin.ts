// A stored Bearer Token or Auth Value is only ever sent to the origin it was saved for.

/** The origin (scheme, host and port) of a URL, or null when it has none or cannot be parsed. */
export function urlOrigin(value: string): string | null {
  try {
    const origin = new URL(value.trim()).origin;
    return origin === "null" ? null : origin;
  } catch {
    return null;
  }
}

/** True when both URLs parse and share one origin: the only case where a stored secret may be kept. */
export function isSameOrigin(a: string, b: string): boolean {
  const origin = urlOrigin(a);
  return origin !== null && origin === urlOrigin(b);
}

/**
 * The stored URL's origin when `url` now points to another origin, so a stored Bearer Token or Auth Value
 * must be entered again; null for a new callback (no stored URL), an unchanged origin, or a URL that is
 * empty or unparsable (the URL rule reports those).
 */
export function movedFromOrigin(storedUrl: string | null | undefined, url: string): string | null {
  if (!storedUrl || urlOrigin(url) === null || isSameOrigin(storedUrl, url)) return null;
  return urlOrigin(storedUrl) ?? storedUrl;
}

/** Why a stored secret cannot be kept after the URL moved to another origin (field error and form hint). */
export function secretMovedMessage(secret: "Bearer Token" | "Auth Value", storedOrigin: string): string {
  return `The URL now points to a different host: enter the ${secret} again (the stored one is only sent to ${storedOrigin})`;
}
