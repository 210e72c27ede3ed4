/**
 * Runs once when the server starts: a misconfigured server (invalid settings, or production without
 * SECRETS_KEY) stops with a clear message instead of failing on the first request; then the delivery
 * engine starts (the embedded queue's workers run inside this server), and a SIGTERM lets the deliveries
 * in flight finish before the server exits.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  await import("./lib/startup-check");
  const { drainOnSignals, startEngine } = await import("./delivery/runtime");
  drainOnSignals();
  await startEngine();
}
