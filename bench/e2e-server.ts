/** The app under test for one configuration: its environment, `next start` and its stop, bench/e2e-db.ts. */

import { type ChildProcess, execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { Config } from "./e2e-configs";
import { type E2eOptions, NEXT_PORT } from "./e2e-model";
import { startServer } from "./harness";

const run = promisify(execFile);

/** The environment of `next start` and of bench/e2e-db.ts: production, fresh secrets, this storage. */
export function appEnv(
  config: Config,
  storage: { env: Record<string, string> },
  options: E2eOptions,
): Record<string, string> {
  return {
    NODE_ENV: "production",
    SECRETS_KEY: randomBytes(32).toString("hex"),
    BETTER_AUTH_SECRET: randomBytes(32).toString("hex"),
    ALLOW_PRIVATE_CALLBACK_URLS: "true",
    LOG_LEVEL: "error",
    NEXT_TELEMETRY_DISABLED: "1",
    LEADHOOK_ENGINE: config.engine,
    PGLITE_DATA_DIR: "",
    INNGEST_DEV: "",
    INNGEST_BASE_URL: "",
    INNGEST_EVENT_KEY: "",
    INNGEST_SIGNING_KEY: "",
    ...storage.env,
    ...options.env,
  };
}

/** Runs bench/e2e-db.ts (setup, timings) in `scratch` with `childEnv`; resolves to the JSON it wrote. */
export function dbScript(scratch: string, childEnv: NodeJS.ProcessEnv) {
  return async (...args: string[]) => {
    const out = path.join(scratch, `${args[0]}.json`);
    await run(
      process.execPath,
      [
        "--conditions=react-server",
        "--import",
        "tsx",
        path.resolve("bench/e2e-db.ts"),
        args[0] as string,
        out,
        ...args.slice(1),
      ],
      { env: childEnv, maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: { stderr?: string; message: string }) => {
      throw new Error(`bench/e2e-db.ts ${args[0]} failed: ${error.stderr?.trim() || error.message}`);
    });
    return JSON.parse(readFileSync(out, "utf8"));
  };
}

/** `next start` on the production build, with a CPU profile when profiling; resolves once it answers. */
export function startNext(config: Config, env: Record<string, string>, profileDir: string | undefined) {
  return startServer(
    process.execPath,
    [
      ...(profileDir
        ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=next-${config.config}.cpuprofile`]
        : []),
      path.resolve("node_modules/next/dist/bin/next"),
      "start",
      "--port",
      String(NEXT_PORT),
    ],
    env,
    `http://127.0.0.1:${NEXT_PORT}/api/openapi.json`,
  );
}

export async function stop(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}
