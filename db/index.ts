import "server-only";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { getEnv } from "@/lib/env";
import * as schema from "./schema";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** A database handle or an open transaction: queries accept either. */
export type Executor = Database | Transaction;

type Handle = { db: Database; driver: "pg" | "pglite"; close: () => Promise<void> };

const globalForDb = globalThis as unknown as { leadhookDb?: Promise<Handle> };

/**
 * Opens the one database client, lazily: node-postgres when DATABASE_URL is set, PGlite (embedded
 * Postgres) under DATA_DIR otherwise. Lazy because `next build` imports modules without a database.
 */
export function getDb(): Promise<Database> {
  globalForDb.leadhookDb ??= openDb();
  return globalForDb.leadhookDb.then((h) => h.db);
}

export async function getDriver(): Promise<Handle["driver"]> {
  globalForDb.leadhookDb ??= openDb();
  return (await globalForDb.leadhookDb).driver;
}

/** Closes the client (scripts and tests); the next getDb() opens a new one. */
export async function closeDb(): Promise<void> {
  const handle = globalForDb.leadhookDb;
  globalForDb.leadhookDb = undefined;
  if (handle) await (await handle).close();
}

async function openDb(): Promise<Handle> {
  const env = getEnv();
  if (env.DATABASE_URL) {
    const [{ Pool }, { drizzle }] = await Promise.all([import("pg"), import("drizzle-orm/node-postgres")]);
    const pool = new Pool({ connectionString: env.DATABASE_URL, max: 10, connectionTimeoutMillis: 5000 });
    pool.on("error", () => {
      // An idle client lost its connection; the pool replaces it on the next query.
    });
    return { db: drizzle(pool, { schema }) as unknown as Database, driver: "pg", close: () => pool.end() };
  }
  const [{ PGlite }, { drizzle }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
  ]);
  const dataDir = env.PGLITE_DATA_DIR ?? path.resolve(env.DATA_DIR, "pglite");
  if (dataDir !== "memory://") mkdirSync(dataDir, { recursive: true });
  const client = dataDir === "memory://" ? new PGlite() : new PGlite(dataDir);
  await client.waitReady;
  return {
    db: drizzle(client, { schema }) as unknown as Database,
    driver: "pglite",
    close: () => client.close(),
  };
}
