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

type Handle = {
  db: Database;
  driver: "pg" | "pglite";
  /** The embedded database itself, for the embedded job queue that shares it (one PGlite per process). */
  pglite?: import("@electric-sql/pglite").PGlite;
  /** Requests already queued for a connection: past POOL_QUEUE_LIMIT, new work is shed with a 503. */
  waiting: () => number;
  close: () => Promise<void>;
};

/** Connections of the node-postgres pool, and how many requests may queue for one before shedding. */
export const POOL_SIZE = 10;
export const POOL_QUEUE_LIMIT = 4 * POOL_SIZE;

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
  return (await getHandle()).driver;
}

/** The open client with its driver and, on PGlite, the embedded database itself. */
export function getHandle(): Promise<Handle> {
  globalForDb.leadhookDb ??= openDb();
  return globalForDb.leadhookDb;
}

/**
 * Throws a `DatabaseBusyError` when POOL_QUEUE_LIMIT requests already wait for a connection: a flood is
 * answered 503 at once instead of each request waiting out the pool's 3 s connection timeout.
 */
export async function assertDatabaseNotBusy(): Promise<void> {
  if ((await getHandle()).waiting() >= POOL_QUEUE_LIMIT) throw new DatabaseBusyError();
}

export class DatabaseBusyError extends Error {
  readonly code = "LEADHOOK_DATABASE_BUSY";
  constructor() {
    super(`${POOL_QUEUE_LIMIT} requests already wait for a database connection`);
  }
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
    // Bounded waits: with the database down or stuck, requests fail fast (503) instead of hanging.
    const pool = new Pool({
      connectionString: env.DATABASE_URL,
      max: POOL_SIZE,
      connectionTimeoutMillis: 3000,
      query_timeout: 4000,
    });
    pool.on("error", () => {
      // An idle client lost its connection; the pool replaces it on the next query.
    });
    return {
      db: drizzle(pool, { schema }) as unknown as Database,
      driver: "pg",
      waiting: () => pool.waitingCount,
      close: () => pool.end(),
    };
  }
  const [{ PGlite }, { drizzle }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
  ]);
  const dataDir = env.PGLITE_DATA_DIR ?? path.resolve(env.DATA_DIR, "pglite");
  const inMemory = dataDir === "memory://";
  const release = inMemory ? () => {} : lockDataDir(dataDir);
  const client = inMemory ? new PGlite() : new PGlite(dataDir);
  await client.waitReady;
  const close = async () => {
    await client.close();
    release();
  };
  return {
    db: drizzle(client, { schema }) as unknown as Database,
    driver: "pglite",
    pglite: client,
    waiting: () => 0,
    close,
  };
}

/**
 * PGlite must be opened by one process at a time: two on one directory silently lose writes. A lock file
 * holding the owner's pid makes a second process fail loudly instead; a lock left by a dead process is
 * taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      const release = () => rmSync(lockFile, { force: true });
      process.once("exit", release);
      return () => {
        process.off("exit", release);
        release();
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(lockFile, "utf8"));
      if (owner && isAlive(owner)) {
        throw new Error(
          `The embedded database at ${dataDir} is in use by process ${owner} (a running \`npm run dev\` or \`npm start\`?). ` +
            "Stop it first, or use the app's pages while it runs.",
        );
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A killed process whose parent has not reaped it yet (a zombie) still answers kill(pid, 0).
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

/** The driver's error with its SQLSTATE (`code`) and `detail`, itself or the one a query builder wrapped. */
export function driverError(error: unknown): { code: string; detail?: unknown } | undefined {
  for (let e = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code))
      return e as { code: string; detail?: unknown };
  }
  return undefined;
}

/** The SQLSTATE of a database error (the driver's, or the one a query builder wrapped as its cause). */
export function sqlState(error: unknown): string | undefined {
  return driverError(error)?.code;
}
