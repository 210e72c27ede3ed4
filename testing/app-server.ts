import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { type Database, postgresDatabase } from "./engines";
import { type ProcessGroup, startProcessGroup, waitUntil } from "./process-group";

const root = path.resolve(import.meta.dirname, "..");

export type AppServer = {
  url: string;
  port: number;
  env: Record<string, string>;
  /** What the server printed, for a failing test's message. */
  output: () => string;
  /** Sends `signal` to the server's whole process group and waits until it is gone. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
  /** Starts it again on the same port, with the same environment (and data). */
  restart: () => Promise<void>;
};

/**
 * `next start` on the production build (run `next build` first), on 127.0.0.1 in a process group of its
 * own so a test can kill it the way a crash would. Resolves once it answers HTTP.
 */
export async function startAppServer(options: {
  port: number;
  env: Record<string, string>;
}): Promise<AppServer> {
  let server: ProcessGroup | undefined;
  const url = `http://127.0.0.1:${options.port}`;

  async function start() {
    const started = startProcessGroup(
      path.join(root, "node_modules/.bin/next"),
      ["start", "--port", String(options.port)],
      { cwd: root, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...options.env } },
    );
    server = started;
    await waitUntil(
      async () => {
        if (started.child.exitCode !== null) throw new Error(`exited (${started.child.exitCode})`);
        return (await fetch(`${url}/api/openapi.json`)).ok;
      },
      "the app server to answer",
      started.output,
    );
  }

  await start();
  return {
    url,
    port: options.port,
    env: options.env,
    output: () => server?.output() ?? "",
    async stop(signal) {
      await server?.stop(signal);
    },
    restart: start,
  };
}

/**
 * A production build's server on a PostgreSQL database of its own (migrated, sample processes seeded, no
 * accounts yet), with fresh keys and the built-in engine; `env` adds to or overrides that. The caller
 * stops the server and drops the database.
 */
export async function startAppOnNewDatabase(options: {
  port: number;
  env?: Record<string, string>;
}): Promise<{ app: AppServer; database: Database }> {
  const database = await postgresDatabase();
  const env = {
    DATABASE_URL: database.url,
    SECRETS_KEY: randomBytes(32).toString("hex"),
    BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
    LEADHOOK_ENGINE: "embedded",
    LOG_LEVEL: "warn",
    ...options.env,
  };
  await promisify(execFile)(
    path.join(root, "node_modules/.bin/tsx"),
    ["--conditions=react-server", "db/migrate.ts", "--seed-if-empty"],
    { cwd: root, env: { ...process.env, ...env } },
  );
  return { app: await startAppServer({ port: options.port, env }), database };
}

/** Runs testing/contract-db.ts against an app's database: JSON in, JSON out. */
export function contractDb<T>(command: string, input: unknown, env: Record<string, string>): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      path.join(root, "node_modules/.bin/tsx"),
      ["--conditions=react-server", path.join(root, "testing/contract-db.ts"), command],
      { cwd: root, env: { ...process.env, LOG_LEVEL: "silent", ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`contract-db ${command} failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout) as T);
      },
    );
    child.stdin?.end(JSON.stringify(input));
  });
}
