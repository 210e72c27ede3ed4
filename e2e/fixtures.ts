import { test as base, expect } from "@playwright/test";
import { type Receiver, startReceiver } from "./receiver";

/**
 * Playwright fixtures for QA suites: `receiver` is a fresh webhook receiver on 127.0.0.1 per test.
 * `import { test, expect } from "./fixtures"` and assert what it received.
 */
export const test = base.extend<{ receiver: Receiver }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures need the object pattern
  receiver: async ({}, use) => {
    const receiver = await startReceiver();
    await use(receiver);
    await receiver.close();
  },
});

export type { ReceivedWebhook, Receiver } from "./receiver";
export { expect };
