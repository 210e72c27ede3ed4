import { type ChildProcess, execFile, spawn } from "node:child_process";
import path from "node:path";

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
  let child: ChildProcess | undefined;
  let log = "";
  const url = `http://127.0.0.1:${options.port}`;

  async function start() {
    const started = spawn(
      path.join(root, "node_modules/.bin/next"),
      ["start", "--port", String(options.port)],
      {
        cwd: root,
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...options.env },
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    child = started;
    const append = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-20_000);
    };
    started.stdout?.on("data", append);
    started.stderr?.on("data", append);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (started.exitCode !== null) throw new Error(`The app server exited (${started.exitCode}):\n${log}`);
      try {
        const response = await fetch(`${url}/api/openapi.json`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`The app server did not answer within 60 s:\n${log}`);
  }

  async function stop(signal: NodeJS.Signals = "SIGTERM") {
    const running = child;
    child = undefined;
    if (!running?.pid || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    try {
      process.kill(-running.pid, signal);
    } catch {
      // already gone
    }
    await exited;
    // Children of the group (none today) would be orphans: wait until no process of it is left.
    await waitForGroupGone(running.pid);
  }

  await start();
  return {
    url,
    port: options.port,
    env: options.env,
    output: () => log,
    stop,
    restart: start,
  };
}

/** Waits (10 s at most) until no live process is left in the group; zombies count as gone. */
function waitForGroupGone(pgid: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  return new Promise((resolve) => {
    const check = () =>
      execFile("ps", ["-eo", "pgid=,stat="], (error, stdout) => {
        const alive = stdout
          .split("\n")
          .map((line) => line.trim().split(/\s+/))
          .some(([group, stat]) => Number(group) === pgid && stat && !stat.startsWith("Z"));
        if (error || !alive || Date.now() > deadline) resolve();
        else setTimeout(check, 100);
      });
    check();
  });
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
