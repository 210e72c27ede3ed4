import { test as base, expect } from "@playwright/test";
import { type Receiver, startReceiver } from "./receiver";
import { type Account, qaAccountsFromEnv, type Role, type StorageState, signInState } from "./sessions";

type Fixtures = {
  /** A fresh webhook receiver on 127.0.0.1 for this test. */
  receiver: Receiver;
  /** Who the test's page is signed in as; null (the default) is an anonymous visitor. */
  role: Role | null;
  /** The account each role signs in as (see e2e/sessions.ts). */
  qaAccounts: Record<Role, Account>;
};

/** One sign-in per worker, server and account: the session is reused as stored state. */
const sessions = new Map<string, Promise<StorageState>>();

/**
 * Playwright fixtures for QA suites. `import { test, expect } from "./fixtures"`, then
 * `test.use({ role: "viewer" })` to run a file (or a describe) signed in as a viewer: the page starts
 * with a stored session, so no test clicks through the sign-in form. `receiver` records webhooks.
 */
export const test = base.extend<Fixtures>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures need the object pattern
  receiver: async ({}, use) => {
    const receiver = await startReceiver();
    await use(receiver);
    await receiver.close();
  },
  role: [null, { option: true }],
  qaAccounts: [qaAccountsFromEnv(), { option: true }],
  storageState: async ({ role, qaAccounts, baseURL, storageState }, use) => {
    if (!role) return use(storageState);
    if (!baseURL) throw new Error("The role fixture needs a baseURL (set use.baseURL in the config)");
    const account = qaAccounts[role];
    const key = `${baseURL} ${account.email}`;
    if (!sessions.has(key)) sessions.set(key, signInState(baseURL, account));
    await use((await sessions.get(key)) as StorageState);
  },
});

export type { ReceivedWebhook, Receiver } from "./receiver";
export type { Account, Role } from "./sessions";
export { signInState } from "./sessions";
export { expect };
