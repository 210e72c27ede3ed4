import { afterAll, afterEach, beforeAll, vi } from "vitest";
import type { DeliveryEngine } from "@/delivery/engine";
import { getEngine, stopEngine } from "@/delivery/runtime";
import { type Receiver, startReceiver } from "@/e2e/receiver";

/**
 * Test helper for a vitest file: the embedded engine running in this process on the test's database
 * (PGlite or Postgres), private callback URLs allowed, and a receiver cleared after each test. Read
 * `receiver` and `engine` inside tests (they exist once beforeAll ran).
 */
export function embeddedEngineForFile({ backoffBaseMs }: { backoffBaseMs: number }) {
  const running = {} as { receiver: Receiver; engine: DeliveryEngine };
  beforeAll(async () => {
    vi.stubEnv("ALLOW_PRIVATE_CALLBACK_URLS", "true");
    vi.stubEnv("LEADHOOK_ENGINE", "embedded");
    vi.stubEnv("DELIVERY_BACKOFF_BASE_MS", String(backoffBaseMs));
    vi.stubEnv("DELIVERY_MAX_RETRIES", "3");
    running.receiver = await startReceiver();
    running.engine = await getEngine();
  }, 60_000);
  afterEach(() => {
    running.receiver.clear();
    running.receiver.respondWith(undefined);
  });
  afterAll(async () => {
    await stopEngine();
    await running.receiver.close();
    vi.unstubAllEnvs();
  });
  return running;
}
