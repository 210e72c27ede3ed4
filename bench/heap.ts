import type { ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

/**
 * The live JavaScript heap of a server started with `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=dir`:
 * signals it, waits for the snapshot (V8 collects garbage before writing one), and sums the size of every
 * object in it. Unlike RSS, this does not count memory V8 or the allocator keep after freeing it, so growth
 * here means objects that stay alive.
 */
export async function liveHeapBytes(server: ChildProcess, dir: string): Promise<number> {
  const before = new Set(readdirSync(dir));
  server.kill("SIGUSR2");
  const deadline = Date.now() + 60_000;
  let file: string | undefined;
  let lastSize = -1;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    file ??= readdirSync(dir).find((f) => !before.has(f) && f.endsWith(".heapsnapshot"));
    if (!file) continue;
    // Written in one go; done when its size stops changing and it parses.
    const text = readFileSync(path.join(dir, file), "utf8");
    if (text.length !== lastSize) {
      lastSize = text.length;
      continue;
    }
    try {
      const bytes = selfSizeTotal(JSON.parse(text));
      rmSync(path.join(dir, file));
      return bytes;
    } catch {
      // not complete yet
    }
  }
  throw new Error("the server wrote no heap snapshot within 60 s");
}

function selfSizeTotal(snapshot: { snapshot: { meta: { node_fields: string[] } }; nodes: number[] }): number {
  const fields = snapshot.snapshot.meta.node_fields;
  const offset = fields.indexOf("self_size");
  let total = 0;
  for (let i = offset; i < snapshot.nodes.length; i += fields.length) total += snapshot.nodes[i] ?? 0;
  return total;
}
