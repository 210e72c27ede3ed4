import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import type { EngineRuntime } from "./engine-types";
import { type ProcessGroup, startProcessGroup, waitUntil } from "./process-group";

/** The Inngest server binary: INNGEST_BIN, else the one .ci/build-inngest caches. */
export function inngestBinary(): string | undefined {
  const cached = path.join(
    process.env.INNGEST_CACHE_DIR ?? path.join(homedir(), ".cache/leadhook"),
    "inngest-v1.1.0/inngest",
  );
  return [process.env.INNGEST_BIN, cached].find((candidate) => candidate && existsSync(candidate));
}

/**
 * The build of it whose `inngest start --redis-uri` works (.ci/build-inngest: v1.1.0 panics there
 * without a one-line fix): beside the binary, named `inngest-redis`.
 */
export function inngestRedisBinary(): string | undefined {
  const binary = inngestBinary();
  return binary && existsSync(`${binary}-redis`) ? `${binary}-redis` : undefined;
}

/**
 * A real Inngest server on 127.0.0.1: `inngest dev` (in memory) or `inngest start` (self-hosted, with
 * its SQLite in a temporary directory, signing and event keys; with `redisUri`, its queue and run state
 * in that Redis, as a self-hosted operator runs it beyond one process). The app is synced by its own PUT
 * to /api/inngest once it runs; an outage stops the server and starts it again on the same port.
 */
export async function startInngestServer(
  mode: "dev" | "start",
  port: number,
  appUrl: string,
  options: { redisUri?: string } = {},
): Promise<EngineRuntime> {
  const binary = options.redisUri ? inngestRedisBinary() : inngestBinary();
  if (!binary) throw new Error("No Inngest server binary (run .ci/build-inngest)");
  const dir = mkdtempSync(path.join(tmpdir(), "leadhook-inngest-"));
  const signingKey = randomBytes(32).toString("hex");
  const eventKey = randomBytes(16).toString("hex");
  const url = `http://127.0.0.1:${port}`;
  const args =
    mode === "dev"
      ? ["dev", "--host", "127.0.0.1", "-p", String(port), "--no-discovery", "--no-poll"]
      : [
          "start",
          "--host",
          "127.0.0.1",
          "-p",
          String(port),
          "--signing-key",
          signingKey,
          "--event-key",
          eventKey,
          "--sqlite-dir",
          dir,
          ...(options.redisUri ? ["--redis-uri", options.redisUri] : []),
        ];
  let server: ProcessGroup | undefined;

  async function up() {
    const started = startProcessGroup(binary as string, args, { cwd: dir });
    server = started;
    await waitUntil(
      async () => (await fetch(`${url}/health`)).ok,
      "the Inngest server to answer",
      started.output,
      30_000,
    );
  }

  async function down() {
    await server?.stop("SIGTERM");
  }

  async function sync() {
    await waitUntil(
      async () => (await fetch(`${appUrl}/api/inngest`, { method: "PUT" })).ok,
      "the app to sync with the Inngest server",
      () => server?.output() ?? "",
      30_000,
    );
  }

  await up();
  return {
    appEnv:
      mode === "dev"
        ? {
            LEADHOOK_ENGINE: "inngest",
            INNGEST_DEV: "1",
            INNGEST_BASE_URL: url,
            INNGEST_CHECKPOINTING: "false",
          }
        : {
            LEADHOOK_ENGINE: "inngest",
            INNGEST_BASE_URL: url,
            INNGEST_SIGNING_KEY: signingKey,
            INNGEST_EVENT_KEY: eventKey,
            INNGEST_CHECKPOINTING: "false",
          },
    ready: sync,
    output: () => server?.output() ?? "",
    outage: {
      down,
      async up() {
        await up();
        await sync();
      },
    },
    async stop() {
      await down();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
