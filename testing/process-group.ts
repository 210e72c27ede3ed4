import { type ChildProcess, execFile, spawn } from "node:child_process";

export type ProcessGroup = {
  child: ChildProcess;
  /** The last 20,000 characters it printed, for a failing test's message. */
  output: () => string;
  /** Sends `signal` to the whole group and waits until its leader exited and no live member is left. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
};

/** Starts a command in a process group of its own, so a test can stop or kill it the way a crash would. */
export function startProcessGroup(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): ProcessGroup {
  const child = spawn(command, args, { ...options, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  return {
    child,
    output: () => log,
    async stop(signal = "SIGTERM") {
      if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
      await exited;
      await waitForGroupGone(child.pid);
    },
  };
}

/** Polls `check` every 200 ms until it is true, or fails after `timeoutMs` with `output()` in the message. */
export async function waitUntil(
  check: () => Promise<boolean>,
  what: string,
  output: () => string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Timed out waiting for ${what}:\n${output()}`);
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
