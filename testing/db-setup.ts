import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";

// Each test file gets a database of its own: in-memory PGlite, or a new database on the Postgres server
// that DATABASE_URL names, dropped afterwards. Files then run in parallel without seeing each other.
const serverUrl = process.env.DATABASE_URL || undefined;
const databaseName = `leadhook_test_${randomBytes(6).toString("hex")}`;

async function admin<T>(work: (client: import("pg").Client) => Promise<T>): Promise<T> {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  if (serverUrl) {
    await admin((c) => c.query(`create database ${databaseName}`));
    const url = new URL(serverUrl);
    url.pathname = `/${databaseName}`;
    process.env.DATABASE_URL = url.toString();
  }
  const { getDb } = await import("@/db/index");
  const { migrate } = await import("@/db/migrate");
  await migrate(await getDb());
});

afterAll(async () => {
  // A test that handed events off started the embedded engine on this database: stop it first.
  const { stopEngine } = await import("@/delivery/runtime");
  await stopEngine();
  const { closeDb } = await import("@/db/index");
  await closeDb();
  (await import("@/auth/server")).resetAuth();
  if (serverUrl) {
    await admin((c) => c.query(`drop database if exists ${databaseName} with (force)`));
    process.env.DATABASE_URL = serverUrl;
  }
});
