import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir } from "@/testing/scratch";
import { lockDataDir } from "./index";

describe("lockDataDir", () => {
  it("lets one process hold a PGlite directory and refuses a second, naming the holder", async () => {
    const dir = path.join(scratchDir("leadhook-lock-"), "pglite");
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 20000)"]);
    try {
      writeFileSync(`${dir}.lock`, String(holder.pid));
      expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by process ${holder.pid}`));
    } finally {
      holder.kill();
      await new Promise((resolve) => holder.on("exit", resolve));
    }
    const release = lockDataDir(dir);
    expect(existsSync(`${dir}.lock`)).toBe(true);
    release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it("takes over a lock left by a process that is gone", () => {
    const dir = path.join(scratchDir("leadhook-lock-"), "pglite");
    writeFileSync(`${dir}.lock`, "999999999");
    const release = lockDataDir(dir);
    expect(readFileSync(`${dir}.lock`, "utf8")).toBe(String(process.pid));
    release();
  });

  it("takes over a lock whose holder was killed but not yet reaped (a zombie)", async () => {
    const dir = path.join(scratchDir("leadhook-lock-"), "pglite");
    // `sleep 0` exits at once; its parent becomes `sleep 5` (exec), which never reaps it.
    const parent = spawn("sh", ["-c", "sleep 0 & echo $!; exec sleep 5"]);
    try {
      const zombie = Number(
        await new Promise<string>((resolve) => parent.stdout.once("data", (d) => resolve(String(d)))),
      );
      await expect
        .poll(() => readFileSync(`/proc/${zombie}/stat`, "utf8").split(") ")[1]?.[0], { timeout: 10_000 })
        .toBe("Z");
      expect(() => process.kill(zombie, 0)).not.toThrow();
      writeFileSync(`${dir}.lock`, String(zombie));
      const release = lockDataDir(dir);
      expect(readFileSync(`${dir}.lock`, "utf8")).toBe(String(process.pid));
      release();
    } finally {
      parent.kill();
    }
    // Spawning and waiting for the zombie can take seconds on a loaded machine (the poll allows 10 s).
  }, 20_000);
});
