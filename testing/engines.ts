import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Database, EngineConfig } from "./engine-types";
import { inngestBinary, inngestRedisBinary, startInngestServer } from "./inngest-server";
import { redisServerAvailable, startRedisServer } from "./redis-server";

export type { Database, EngineConfig, EngineRuntime } from "./engine-types";

/** The PostgreSQL server the suite may create databases on: CONTRACT_DATABASE_URL, else DATABASE_URL. */
export function postgresServerUrl(): string | undefined {
  return process.env.CONTRACT_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

/** A database of its own on the PostgreSQL server, dropped afterwards. */
export async function postgresDatabase(): Promise<Database> {
  const serverUrl = postgresServerUrl();
  if (!serverUrl) throw new Error("No PostgreSQL server configured");
  const name = `leadhook_contract_${randomBytes(5).toString("hex")}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    shared: true,
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}

/** The embedded database: the app server owns it while it runs. */
export async function pgliteDatabase(): Promise<Database> {
  return { url: "", shared: false, drop: async () => {} };
}

const embedded = (appEnv: Record<string, string> = {}): EngineConfig["start"] => {
  return async () => ({ appEnv: { LEADHOOK_ENGINE: "embedded", ...appEnv }, stop: async () => {} });
};

/** Every configuration the contract suite runs, available or not (a skipped one says why). */
export function engineConfigs(): EngineConfig[] {
  return [
    {
      name: "embedded engine on PostgreSQL",
      skipReason: () => (postgresServerUrl() ? null : "no PostgreSQL server (set DATABASE_URL)"),
      database: postgresDatabase,
      start: embedded(),
    },
    {
      name: "embedded engine on PGlite",
      skipReason: () => null,
      database: pgliteDatabase,
      start: embedded(),
    },
    ...(["dev", "start"] as const).map(
      (mode, n): EngineConfig => ({
        name: `Inngest (inngest ${mode})`,
        skipReason: () =>
          inngestBinary()
            ? null
            : "no Inngest server binary (.ci/build-inngest builds one where Go is installed)",
        database: () => (postgresServerUrl() ? postgresDatabase() : pgliteDatabase()),
        start: ({ appUrl }) => startInngestServer(mode, 8290 + n, appUrl),
      }),
    ),
    {
      // Its queue and run state in Redis instead of the in-process one: how it runs beyond one process.
      name: "Inngest (inngest start, Redis)",
      skipReason: () =>
        !inngestRedisBinary()
          ? "no Inngest server binary with the --redis-uri fix (.ci/build-inngest builds one where Go is installed)"
          : redisServerAvailable()
            ? null
            : "no redis-server (apt-get install redis-server)",
      database: () => (postgresServerUrl() ? postgresDatabase() : pgliteDatabase()),
      start: async ({ appUrl }) => {
        const redis = await startRedisServer(8390);
        try {
          const inngest = await startInngestServer("start", 8292, appUrl, { redisUri: redis.url });
          return {
            ...inngest,
            async stop() {
              try {
                await inngest.stop();
              } finally {
                await redis.stop();
              }
            },
          };
        } catch (error) {
          await redis.stop();
          throw error;
        }
      },
    },
  ];
}
