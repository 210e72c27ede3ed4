import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

/** First-load JavaScript of an app route, gzip bytes: the root main files plus the route's entry chunks. */
export function firstLoadJs(route: string, nextDir = ".next"): { files: number; gzipBytes: number } {
  const buildManifest = JSON.parse(
    readFileSync(path.join(nextDir, "server/app", route, "page/build-manifest.json"), "utf8"),
  );
  const g = globalThis as {
    self?: unknown;
    __RSC_MANIFEST?: Record<string, { entryJSFiles: Record<string, string[]> }>;
  };
  g.self = globalThis;
  const manifestFile = path.resolve(
    path.join(nextDir, "server/app", route, "page_client-reference-manifest.js"),
  );
  new Function(readFileSync(manifestFile, "utf8"))();
  const entries = g.__RSC_MANIFEST?.[`${route}/page`]?.entryJSFiles ?? {};
  const files = new Set<string>([
    ...buildManifest.rootMainFiles,
    ...(entries["[project]/app/layout"] ?? []),
    ...(entries[`[project]/app${route}/page`] ?? []),
  ]);
  let gzipBytes = 0;
  for (const file of files) gzipBytes += gzipSync(readFileSync(path.join(nextDir, file))).length;
  return { files: files.size, gzipBytes };
}
