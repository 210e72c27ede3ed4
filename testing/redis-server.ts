import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { startProcessGroup, waitUntil } from "./process-group";

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? "/usr/bin/redis-server";

/** Whether a Redis server binary is here to start (Debian's redis-server). */
export function redisServerAvailable(): boolean {
  return existsSync(REDIS_SERVER);
}

/** Answers true once the server on `port` replies +PONG to PING. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port }, () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * A Redis server of the test's own on 127.0.0.1 (in memory, nothing saved), so what an Inngest server
 * keeps in it is never mixed with another run's or the machine's. Stopped and its directory removed by
 * `stop`.
 */
export async function startRedisServer(port: number) {
  const dir = mkdtempSync(path.join(tmpdir(), "leadhook-redis-"));
  const server = startProcessGroup(
    REDIS_SERVER,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    { cwd: dir },
  );
  await waitUntil(() => pings(port), "the Redis server to answer", server.output, 15_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      await server.stop("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
