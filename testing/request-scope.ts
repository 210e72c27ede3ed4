/**
 * Server actions read the request through `next/headers`, which only `next start` provides. Database
 * tests call actions directly, so testing/vitest-setup.ts points `next/headers` here: a request whose
 * cookies a test sets (see testing/members.ts), and which keeps the cookies an action sets, as a
 * browser would.
 */
type CookieOptions = Record<string, unknown>;

const jar = new Map<string, string>();
let extraHeaders: Record<string, string> = {};

/** Starts a new anonymous request context: no cookies, default client address. */
export function resetRequest(headers: Record<string, string> = {}): void {
  jar.clear();
  extraHeaders = headers;
}

/** Sets the cookies of the current request from a `Set-Cookie` list or a `name=value` map. */
export function setRequestCookies(cookies: string[] | Record<string, string>): void {
  const pairs = Array.isArray(cookies)
    ? cookies.map((c) => c.split(";")[0] ?? "").map((c) => c.split(/=(.*)/s) as [string, string])
    : Object.entries(cookies);
  for (const [name, value] of pairs) if (name) jar.set(name.trim(), value);
}

export function currentCookies(): Record<string, string> {
  return Object.fromEntries(jar);
}

const cookieStore = {
  get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) as string } : undefined),
  getAll: () => [...jar].map(([name, value]) => ({ name, value })),
  has: (name: string) => jar.has(name),
  set: (name: string | { name: string; value: string }, value?: string, _options?: CookieOptions) => {
    if (typeof name === "object") jar.set(name.name, name.value);
    else jar.set(name, value ?? "");
    return cookieStore;
  },
  delete: (name: string) => {
    jar.delete(name);
    return cookieStore;
  },
};

function requestHeaders(): Headers {
  const headers = new Headers({
    "x-forwarded-for": "127.0.0.1",
    "user-agent": "vitest",
    host: "localhost:3000",
    ...extraHeaders,
  });
  if (jar.size) headers.set("cookie", [...jar].map(([n, v]) => `${n}=${v}`).join("; "));
  return headers;
}

/** The stand-in for `next/headers`. */
export const nextHeaders = {
  headers: async () => requestHeaders(),
  cookies: async () => cookieStore,
  draftMode: async () => ({ isEnabled: false, enable() {}, disable() {} }),
};
