import { execFileSync } from "node:child_process";
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

/**
 * A throwaway PostgreSQL server on 127.0.0.1 in a temporary directory, for fault tests and benchmarks.
 * As root it runs as the postgres user (initdb refuses root). `stop` is an immediate shutdown, as a crash.
 */
// Below the ephemeral range (32768-60999 here): a port in it can be taken, while the server is stopped,
// as the source port of a client retrying to connect to it (TCP self-connect), and the restart fails.
export function createPostgresServer(port = 20_000 + Math.floor(Math.random() * 10_000)) {
  const dir = mkdtempSync(path.join(tmpdir(), "leadhook-pg-"));
  const asPostgres = process.getuid?.() === 0;
  const run = (args: string[]) => {
    const [cmd, ...rest] = asPostgres ? ["runuser", "-u", "postgres", "--", ...args] : args;
    execFileSync(cmd as string, rest, { stdio: "pipe" });
  };
  const ctl = (...args: string[]) => run([`${PG_BIN}/pg_ctl`, "-D", dir, ...args]);
  if (asPostgres) chownSync(dir, Number(execFileSync("id", ["-u", "postgres"]).toString().trim()), 0);
  run([`${PG_BIN}/initdb`, "-D", dir, "-U", "postgres", "--auth=trust"]);
  const server = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => ctl("-o", `-p ${port} -h 127.0.0.1 -k ${dir}`, "-l", `${dir}/log`, "-w", "start"),
    stop: () => ctl("-m", "immediate", "-w", "stop"),
    destroy: () => {
      try {
        ctl("-m", "immediate", "-w", "stop");
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  server.start();
  return server;
}
