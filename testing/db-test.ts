import { randomBytes } from "node:crypto";
import { test as base } from "vitest";
import { resetAuth } from "@/auth/server";
import { closeDb, type Database, getDb } from "@/db/index";
import { migrate } from "@/db/migrate";
import { getDefaultWorkspace } from "@/db/queries/workspaces";
import type { DeliveryEngine } from "@/delivery/engine";
import { getEngine, stopEngine } from "@/delivery/runtime";
import { type ReceiverOptions, startReceiver } from "@/e2e/receiver";
import { actAs, addMember, makeUser, membershipOf, otherWorkspace, signInAs, TEST_PASSWORD } from "./members";
import { currentCookies, resetRequest, setRequestCookies } from "./request-scope";

/**
 * The database tests' `test` (also `it`): every `*.db.test.ts` file takes its database, people and request
 * from these fixtures instead of setup files and module-level variables. Suite hooks see the file-scoped
 * ones when written as `it.beforeAll(({ db }) => ...)`; a plain `beforeAll` from vitest runs before the
 * database exists and, on purpose, cannot reach one (vitest.config.ts points DATABASE_URL at a closed port).
 *
 * - `db` (file, automatic): a database of this file's own, migrated: in-memory PGlite, or a new database
 *   on the PostgreSQL server the project names, dropped afterwards. Files run in parallel without seeing
 *   each other. Its cleanup stops an engine the file started, closes the client and forgets Better Auth.
 * - `workspaceId` (file): the default workspace, which migrations create.
 * - `members` (file): people and memberships (testing/members.ts): `makeUser`, `addMember`, `otherWorkspace`.
 * - `request` (test): the request server actions read through `next/headers`, anonymous at the start and
 *   end of the test that asks for it; `request.signInAs(role)` makes a member and signs them in for it.
 * - `receiver` (file): an HTTP receiver on 127.0.0.1 (e2e/receiver.ts), started with `receiverOptions`
 *   (file; a file sets its own with `dbTest.extend("receiverOptions", { scope: "file" }, {...})`). A file
 *   empties it between tests where they count what arrived.
 *
 * `withEmbeddedEngine` adds `engine`: the embedded engine running in this process on the file's database.
 */

/** Where this project's database tests make their databases: "pglite", or a PostgreSQL server's URL. */
const target = process.env.LEADHOOK_TEST_DATABASE;
/**
 * Whether this file's database is PostgreSQL (else PGlite), known when tests are collected: for
 * `it.runIf(onPostgres)`. Inside a test, DATABASE_URL names the file's own database.
 */
export const onPostgres = Boolean(target) && target !== "pglite";

async function admin<T>(serverUrl: string, work: (client: import("pg").Client) => Promise<T>): Promise<T> {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Sets environment variables and returns what puts them back as they were (a worker runs files in turn). */
function setEnv(vars: Record<string, string>): () => void {
  const before = Object.entries(vars).map(([name]) => [name, process.env[name]] as const);
  Object.assign(process.env, vars);
  return () => {
    for (const [name, value] of before) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

async function createDatabase(): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (!target)
    throw new Error("LEADHOOK_TEST_DATABASE is not set: run database tests through vitest.config.ts");
  // Forget a client opened before this fixture ran (a plain hook's: it could only reach the closed port).
  await closeDb();
  let restoreEnv: () => void;
  let dropDatabase = async () => {};
  if (target === "pglite") {
    restoreEnv = setEnv({ DATABASE_URL: "", PGLITE_DATA_DIR: "memory://" });
  } else {
    const name = `leadhook_test_${randomBytes(6).toString("hex")}`;
    await admin(target, (c) => c.query(`create database ${name}`));
    dropDatabase = () =>
      admin(target, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => {});
    const url = new URL(target);
    url.pathname = `/${name}`;
    restoreEnv = setEnv({ DATABASE_URL: url.toString() });
  }
  // Every step runs even when one before it fails (the database is dropped, the environment restored);
  // the first failure is the one reported.
  const drop = async () => {
    const steps = [
      // A test that handed events off started the embedded engine on this database: stop it first.
      stopEngine,
      closeDb,
      async () => resetAuth(),
      async () => restoreEnv(),
      dropDatabase,
    ];
    const failures: unknown[] = [];
    for (const step of steps) await step().catch((error: unknown) => failures.push(error));
    if (failures.length) throw failures[0];
  };
  try {
    const db = await getDb();
    await migrate(db);
    return { db, drop };
  } catch (error) {
    await drop();
    throw error;
  }
}

/** People and memberships in the file's database (all with the password `password`). */
const members = { makeUser, addMember, otherWorkspace, membershipOf, password: TEST_PASSWORD };
/** The current request: who it is signed in as (through Better Auth's real sign-in) and its cookies. */
const request = {
  signInAs,
  actAs,
  reset: resetRequest,
  setCookies: setRequestCookies,
  cookies: currentCookies,
};

export const test = base
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern; it has none
  .extend("db", { scope: "file", auto: true }, async ({}, { onCleanup }) => {
    const { db, drop } = await createDatabase();
    onCleanup(drop);
    return db;
  })
  .extend("workspaceId", { scope: "file" }, async ({ db: _ }) => (await getDefaultWorkspace()).id)
  .extend("members", { scope: "file" }, async ({ db: _ }) => members)
  // biome-ignore lint/correctness/noEmptyPattern: no dependencies
  .extend("request", async ({}, { onCleanup }) => {
    resetRequest();
    onCleanup(() => resetRequest());
    return request;
  })
  .extend("receiverOptions", { scope: "file" }, {} as ReceiverOptions)
  .extend("receiver", { scope: "file" }, async ({ receiverOptions }, { onCleanup }) => {
    const receiver = await startReceiver(receiverOptions);
    onCleanup(() => receiver.close());
    return receiver;
  });

export const it = test;

/**
 * The `test` of a file whose tests deliver through the embedded engine: private callback URLs allowed,
 * quick retries (`retrySchedule`, as DELIVERY_RETRY_SCHEDULE), the engine started on the file's database
 * once, and a receiver that is emptied after each test.
 */
export function withEmbeddedEngine({
  retrySchedule,
  env = {},
}: {
  retrySchedule: string;
  /** More of the server's settings, as its environment. */
  env?: Record<string, string>;
}) {
  const engineTest = test.extend(
    "engine",
    { scope: "file" },
    async ({ db: _ }, { onCleanup }): Promise<DeliveryEngine> => {
      const restoreEnv = setEnv({
        ALLOW_PRIVATE_CALLBACK_URLS: "true",
        LEADHOOK_ENGINE: "embedded",
        DELIVERY_RETRY_SCHEDULE: retrySchedule,
        ...env,
      });
      onCleanup(async () => {
        try {
          await stopEngine();
        } finally {
          restoreEnv();
        }
      });
      try {
        return await getEngine();
      } catch (error) {
        // Cleanups run only for fixtures that were set up: put the environment back here.
        restoreEnv();
        throw error;
      }
    },
  );
  engineTest.afterEach(({ receiver }) => {
    receiver.clear();
    receiver.respondWith(undefined);
  });
  return engineTest;
}
