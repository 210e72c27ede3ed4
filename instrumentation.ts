/**
 * Runs once when the server starts: a misconfigured server (invalid settings, or production without
 * SECRETS_KEY) stops with a clear message instead of failing on the first request.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./lib/startup-check");
}
