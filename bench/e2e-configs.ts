/** The configurations measured end to end: each one's database, delivery engine and processes to meter. */

import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { inngestBinary } from "@/testing/inngest-server";
import { createPostgresServer } from "@/testing/postgres-server";
import { processListening } from "./e2e-cpu";
import { type E2eOptions, NEXT_PORT } from "./e2e-model";

/** Where .ci/build-inngest caches the Inngest server (INNGEST_BIN overrides). */
export const DEFAULT_INNGEST_BIN =
  inngestBinary() ?? path.join(homedir(), ".cache/leadhook/inngest-v1.1.0/inngest");
// Not Inngest's default 8288, so a dev server someone left running is never measured by mistake.
const INNGEST_PORT = 8298;

export type Config = {
  config: string;
  label: string;
  /** A reason not to run it, or undefined. */
  unavailable?: (options: E2eOptions) => string | undefined;
  prepare: (options: E2eOptions) => Promise<{
    env: Record<string, string>;
    pids: () => { postgres?: number; inngest?: number };
    /** Once `next start` answers (Inngest: the app syncs its functions). */
    ready?: () => Promise<void>;
    /** Writes what Postgres spent its time on (profiling only). */
    report?: (file: string) => Promise<void>;
    cleanUp: () => void;
  }>;
  engine: "embedded" | "inngest";
};

/** A throwaway PostgreSQL 15 (bench/setup.ts's), with pg_stat_statements when profiling. */
function throwawayPostgres(env: Record<string, string>): Config["prepare"] {
  return async ({ profileDir }) => {
    const postgres = createPostgresServer();
    const port = new URL(postgres.url).port;
    const query = async (text: string) => {
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      try {
        return (await client.query(text)).rows;
      } finally {
        await client.end();
      }
    };
    if (profileDir) {
      // A failure here must not leave the server running: the caller has nothing to clean up yet.
      await enableStatements().catch((error) => {
        postgres.destroy();
        throw error;
      });
    }
    async function enableStatements() {
      await query("alter system set shared_preload_libraries = 'pg_stat_statements'");
      postgres.stop();
      postgres.start();
      await query("alter system set pg_stat_statements.track = 'all'");
      await query("select pg_reload_conf()");
      await query("create extension pg_stat_statements");
    }
    return {
      env: { DATABASE_URL: postgres.url, ...env },
      pids: () => ({ postgres: processListening("/postgres", port) }),
      report: async (file) => {
        const rows = await query(`select calls, round(total_exec_time::numeric, 1) as total_ms,
            round(mean_exec_time::numeric, 3) as mean_ms, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 300) as query
          from pg_stat_statements order by total_exec_time desc limit 40`);
        writeFileSync(
          file,
          rows
            .map(
              (r) =>
                `${r.total_ms} ms total, ${r.calls} calls, ${r.mean_ms} ms mean, ${r.rows} rows: ${r.query}`,
            )
            .join("\n"),
        );
      },
      cleanUp: () => postgres.destroy(),
    };
  };
}

export const CONFIGS: Config[] = [
  {
    config: "postgres",
    label: "Embedded engine (deliveries table as its queue) on PostgreSQL 15",
    engine: "embedded",
    prepare: throwawayPostgres({}),
  },
  {
    config: "pglite",
    label: "Embedded engine (deliveries table as its queue) on PGlite",
    engine: "embedded",
    prepare: async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "leadhook-bench-pglite-"));
      return {
        env: { DATABASE_URL: "", DATA_DIR: dir },
        pids: () => ({}),
        cleanUp: () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    config: "inngest",
    label: "Inngest (`inngest dev`) on PostgreSQL 15",
    engine: "inngest",
    unavailable: ({ inngestBin = DEFAULT_INNGEST_BIN }) =>
      existsSync(inngestBin) ? undefined : `no Inngest server binary at ${inngestBin}`,
    prepare: async (options) => {
      const inngestBin = options.inngestBin ?? DEFAULT_INNGEST_BIN;
      // testing/inngest-server.ts runs `inngest dev` (in memory, no discovery: the app syncs by PUT).
      process.env.INNGEST_BIN = inngestBin;
      const { startInngestServer } = await import("@/testing/inngest-server");
      const inngest = await startInngestServer("dev", INNGEST_PORT, `http://127.0.0.1:${NEXT_PORT}`);
      const postgres = await throwawayPostgres({})(options).catch(async (error) => {
        await inngest.stop();
        throw error;
      });
      return {
        ...postgres,
        env: { ...postgres.env, ...inngest.appEnv },
        pids: () => ({ ...postgres.pids(), inngest: processListening(inngestBin, INNGEST_PORT) }),
        ready: inngest.ready,
        cleanUp: () => {
          postgres.cleanUp();
          void inngest.stop();
        },
      };
    },
  },
];
