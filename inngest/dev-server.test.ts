import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, "..");
const tsx = path.join(repo, "node_modules", ".bin", "tsx");
const launcher = path.join(repo, "inngest", "dev-server.ts");

/*
 * `npm run dev` runs this launcher, which starts `next dev`. Here it runs in a folder whose
 * node_modules/.bin/next is a script writing down the arguments it was given, so the port it passes on is
 * seen without starting Next.js.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function launch(args: string[], env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "leadhook-dev-launcher-"));
  dirs.push(dir);
  mkdirSync(path.join(dir, "node_modules", ".bin"), { recursive: true });
  const next = path.join(dir, "node_modules", ".bin", "next");
  writeFileSync(next, `#!/bin/sh\necho "$@" > "${path.join(dir, "next-args")}"\n`);
  chmodSync(next, 0o755);
  const { PORT: _port, ...inherited } = process.env;
  const result = await run(tsx, [launcher, ...args], {
    cwd: dir,
    env: { ...inherited, LEADHOOK_ENGINE: "embedded", INNGEST_BIN: "", ...env },
  }).catch((error: { code: number; stderr: string }) => error);
  const nextArgs = (() => {
    try {
      return readFileSync(path.join(dir, "next-args"), "utf8").trim();
    } catch {
      return null;
    }
  })();
  return { code: "code" in result ? result.code : 0, stderr: result.stderr, nextArgs };
}

describe("npm run dev's port", () => {
  it("is 3000 when nothing names one", async () => {
    expect((await launch([])).nextArgs).toBe("dev --port 3000");
  });

  it("comes from PORT", async () => {
    expect((await launch([], { PORT: "3456" })).nextArgs).toBe("dev --port 3456");
  });

  it("comes from -p and --port, which win over PORT", async () => {
    expect((await launch(["-p", "3457"], { PORT: "3456" })).nextArgs).toBe("dev --port 3457");
    expect((await launch(["--port", "3458"])).nextArgs).toBe("dev --port 3458");
    expect((await launch(["--port=3459"])).nextArgs).toBe("dev --port 3459");
  });

  it("refuses what is not a port, and options it does not know, saying why", async () => {
    const bad = await launch(["-p", "http"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('the port must be a number from 1 to 65535, not "http"');
    expect(bad.nextArgs).toBeNull();
    const unknown = await launch(["--turbo"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("npm run dev takes one option: -p PORT");
  });
});
