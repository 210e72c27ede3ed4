import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { E2E_PASSWORD } from "./e2e/sessions";

const port = Number(process.env.E2E_PORT ?? 3100);
const deliveryPort = port + 1;
// The servers' data folder. Playwright evaluates this file again in each worker, which inherits the
// runner's environment: the runner makes the folder once and its workers reuse it. testing/e2e-teardown.ts
// removes it when the run ends (unless E2E_DATA_DIR named a folder to keep).
const dataRoot =
  process.env.E2E_DATA_DIR ||
  process.env.LEADHOOK_E2E_SCRATCH ||
  mkdtempSync(path.join(tmpdir(), "leadhook-e2e-"));
if (!process.env.E2E_DATA_DIR) process.env.LEADHOOK_E2E_SCRATCH = dataRoot;
const serverEnv = {
  DATABASE_URL: "",
  SECRETS_KEY: "e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0e2e0",
  BETTER_AUTH_SECRET: "e2e-only-auth-secret-e2e-only-auth-secret",
  E2E_PASSWORD,
  CALLBACK_EGRESS_IPS: "203.0.113.10, 203.0.113.11",
  NEXT_TELEMETRY_DISABLED: "1",
  LOG_LEVEL: "warn",
};
const chromium = {
  launchOptions: {
    // Debian's Chromium; Playwright never downloads a browser here.
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  },
};

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  globalTeardown: "./testing/e2e-teardown.ts",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    ...chromium,
  },
  projects: [
    // The settings suite meets the app as configured for production: private callback URLs refused.
    {
      name: "settings",
      testMatch: [
        "process-settings.spec.ts",
        "api-keys.spec.ts",
        "process-page-rough-edges.spec.ts",
        "origin-rule.spec.ts",
      ],
      use: { ...devices["Desktop Chrome"], ...chromium, baseURL: `http://localhost:${port}` },
    },
    // Deliveries go to receivers on 127.0.0.1, which only ALLOW_PRIVATE_CALLBACK_URLS=true permits.
    {
      name: "deliveries",
      testMatch: [
        "deliveries.spec.ts",
        "events.spec.ts",
        "failure-hints.spec.ts",
        "replays.spec.ts",
        "send-events.spec.ts",
        "layout.spec.ts",
      ],
      use: { ...devices["Desktop Chrome"], ...chromium, baseURL: `http://localhost:${deliveryPort}` },
    },
    // Sign-in, first run, invitations and roles, on a server of its own that starts with no accounts; and
    // mailed invitations and email verification on another, with an SMTP server.
    {
      name: "access",
      testMatch: ["access.spec.ts", "mail.spec.ts"],
      use: { ...devices["Desktop Chrome"], ...chromium, baseURL: "http://127.0.0.1:3160" },
    },
    // The delivery contract against each engine; it starts app servers of its own from the build.
    {
      name: "contract",
      testMatch: ["contract.spec.ts", "auto-disable.spec.ts"],
      use: { ...devices["Desktop Chrome"], ...chromium },
    },
  ],
  // Started one after the other: the first builds, the second reuses the build.
  webServer: [
    {
      // The accounts (owner, admin, viewer) are made with the operator script before the server starts.
      command: `npm run build && npm run db:prepare && sh testing/e2e-accounts.sh && npm run start -- --port ${port}`,
      url: `http://localhost:${port}/api/openapi.json`,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: { ...serverEnv, DATA_DIR: path.join(dataRoot, "settings"), ALLOW_PRIVATE_CALLBACK_URLS: "false" },
    },
    {
      command: `npm run db:prepare && sh testing/e2e-accounts.sh && npm run start -- --port ${deliveryPort}`,
      url: `http://localhost:${deliveryPort}/api/openapi.json`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: { ...serverEnv, DATA_DIR: path.join(dataRoot, "deliveries"), ALLOW_PRIVATE_CALLBACK_URLS: "true" },
    },
  ],
});
