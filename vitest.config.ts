import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
const dbTests = ["**/*.db.test.ts"];
// Database tests make their own database in the `db` fixture (testing/db-test.ts), from this target; until
// then DATABASE_URL names a port nothing listens on, so nothing can reach a database made for something else.
const dbEnv = (target: string) => ({
  ...shared,
  LEADHOOK_TEST_DATABASE: target,
  DATABASE_URL: "postgres://no-database-before-the-db-fixture@127.0.0.1:9/none",
});
const outageTests = ["**/*.outage.test.ts"];
const shared = {
  // A fixed key for tests only; real installs use SECRETS_KEY or a generated .data/secrets.key.
  SECRETS_KEY: "0123456789abcdef".repeat(4),
  LOG_LEVEL: "silent",
};

export default defineConfig({
  resolve: {
    alias: {
      "@/": `${root}/`,
      // Server-only modules are exercised directly in tests, outside the React Server Components graph.
      "server-only": `${root}/node_modules/server-only/empty.js`,
    },
  },
  test: {
    exclude: ["**/node_modules/**", ".next/**"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: [...dbTests, ...outageTests, "node_modules/**"],
          env: shared,
          setupFiles: ["./testing/vitest-setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "pglite",
          include: dbTests,
          // In-memory PGlite shares the CPU with the other files running in parallel: allow slow machines,
          // and the `db` fixture's migrations (every one, into a new database per file, made by the file's
          // first hook or test) time to run on a busy one.
          testTimeout: 60_000,
          hookTimeout: 60_000,
          setupFiles: ["./testing/vitest-setup.ts"],
          env: dbEnv("pglite"),
        },
      },
      // The same database tests against a real Postgres server when one is configured (CI starts one).
      ...(process.env.DATABASE_URL
        ? [
            {
              extends: true as const,
              test: {
                name: "postgres",
                include: dbTests,
                setupFiles: ["./testing/vitest-setup.ts"],
                env: dbEnv(process.env.DATABASE_URL),
                testTimeout: 20_000,
              },
            },
          ]
        : []),
      // `npm run test:faults`: stops and restarts a PostgreSQL server of its own (needs its binaries).
      ...(process.env.LEADHOOK_OUTAGE === "1"
        ? [
            {
              extends: true as const,
              test: { name: "outage", include: outageTests, env: shared, testTimeout: 120_000 },
            },
          ]
        : []),
    ],
  },
});
