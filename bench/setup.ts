import "server-only";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { type Receiver, startReceiver } from "@/e2e/receiver";
import { createPostgresServer } from "@/testing/postgres-server";
import { type Row, startInngestSink, startServer } from "./harness";

export const NEXT_PORT = 3400;
export const BASELINE_PORT = 3401;

/**
 * Everything the benchmarks run against, on 127.0.0.1: a throwaway PostgreSQL, an Inngest stand-in,
 * `next start` on the production build, and the bare baseline server. Environment is set before any
 * leadhook module is imported, because the Inngest client reads it once.
 */
export async function setUp(options: {
  build: boolean;
  /** Start `next start` and the baseline server (false: only Postgres, the sink and receivers). */
  servers?: boolean;
  /** Node options for `next start` (the soak asks for heap snapshots on a signal). */
  nextNodeArgs?: string[];
  onEvents?: Parameters<typeof startInngestSink>[0];
}) {
  const postgres = createPostgresServer();
  const sink = await startInngestSink(options.onEvents);
  Object.assign(process.env, {
    DATABASE_URL: postgres.url,
    SECRETS_KEY: randomBytes(32).toString("base64"),
    // next start runs in production mode, which refuses to start without it.
    BETTER_AUTH_SECRET: randomBytes(32).toString("base64"),
    INNGEST_DEV: "1",
    INNGEST_BASE_URL: sink.url,
    ALLOW_PRIVATE_CALLBACK_URLS: "true",
    LOG_LEVEL: "error",
    NEXT_TELEMETRY_DISABLED: "1",
  });
  const { getDb, closeDb } = await import("@/db/index");
  const { migrate } = await import("@/db/migrate");
  await migrate(await getDb());
  const { getDefaultWorkspace } = await import("@/db/queries/workspaces");
  const { createApiKey } = await import("@/db/queries/api-keys");
  const { createProcess } = await import("@/db/queries/processes");
  const workspace = await getDefaultWorkspace();
  const key = (await createApiKey(workspace.id, "bench")).key;
  const ingestProcess = await createProcess({ workspaceId: workspace.id, name: "Bench ingest" });

  const servers = options.servers ?? true;
  if (servers && (options.build || !existsSync(".next/BUILD_ID"))) {
    console.log("building (next build)...");
    execFileSync(path.resolve("node_modules/.bin/next"), ["build"], { stdio: "inherit" });
  }
  const started: { kill: () => void }[] = [];
  const failed = async (error: unknown) => {
    for (const child of started) child.kill();
    await sink.close();
    await closeDb();
    postgres.destroy();
    throw error;
  };
  const next = servers
    ? await startServer(
        process.execPath,
        [
          ...(options.nextNodeArgs ?? []),
          path.resolve("node_modules/next/dist/bin/next"),
          "start",
          "--port",
          String(NEXT_PORT),
        ],
        { NODE_ENV: "production" },
        `http://127.0.0.1:${NEXT_PORT}/api/openapi.json`,
      ).catch(failed)
    : undefined;
  if (next) started.push(next);
  const baseline = servers
    ? await startServer(
        process.execPath,
        ["--import", "tsx", path.resolve("bench/baseline-ingest.ts")],
        { PORT: String(BASELINE_PORT), BENCH_WORKSPACE_ID: workspace.id },
        `http://127.0.0.1:${BASELINE_PORT}/`,
      ).catch(failed)
    : undefined;
  const receivers: Receiver[] = [];
  return {
    workspaceId: workspace.id,
    key,
    ingestProcessId: ingestProcess.id,
    sink,
    get next() {
      if (!next) throw new Error("next start was not started (setUp({ servers: false }))");
      return next;
    },
    get baseline() {
      if (!baseline) throw new Error("the baseline server was not started (setUp({ servers: false }))");
      return baseline;
    },
    receiver: async () => {
      const r = await startReceiver();
      receivers.push(r);
      return r;
    },
    tearDown: async () => {
      next?.kill();
      baseline?.kill();
      await Promise.all(receivers.map((r) => r.close()));
      await sink.close();
      await closeDb();
      postgres.destroy();
    },
  };
}

export type Bench = Awaited<ReturnType<typeof setUp>>;
export type { Row };
