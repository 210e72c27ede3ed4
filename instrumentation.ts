/**
 * Runs once when the server starts: a misconfigured server (invalid settings, or production without
 * SECRETS_KEY) stops here with a clear message instead of failing on the first request.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getEnv } = await import("@/lib/env");
  const { getSecretsKey } = await import("@/lib/secrets-key");
  try {
    getEnv();
    getSecretsKey();
  } catch (error) {
    console.error(`leadhook cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
