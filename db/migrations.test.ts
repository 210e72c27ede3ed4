import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LAST_USED_RESOLUTION_MS } from "@/lib/api-keys";

// A committed migration never changes: a database that applied it keeps what it ran, so an edit
// silently splits databases in two. Every migration's SHA-256 is recorded in checksums.sha256
// (`sha256sum` format); a new migration appends its line: (cd db/migrations && sha256sum 0005_x.sql)
const folder = path.join(import.meta.dirname, "migrations");
const recorded = readFileSync(path.join(folder, "checksums.sha256"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => {
    const [hash, file] = line.split(/\s+\*?/);
    return { hash, file: file as string };
  });
const sha256 = (file: string) =>
  createHash("sha256")
    .update(readFileSync(path.join(folder, file)))
    .digest("hex");

describe("committed migrations", () => {
  it.each(recorded)("$file is unchanged", ({ file, hash }) => {
    expect(
      sha256(file),
      `${file} changed after it was committed; restore it and put the change in a new migration`,
    ).toBe(hash);
  });

  it("are all recorded, in order, with new ones appended", () => {
    const files = readdirSync(folder)
      .filter((f) => f.endsWith(".sql"))
      .sort();
    const missing = files.filter((f) => !recorded.some((r) => r.file === f));
    expect(
      missing,
      `record each new migration: (cd db/migrations && sha256sum ${missing.join(" ")} >> checksums.sha256)`,
    ).toEqual([]);
    expect(recorded.map((r) => r.file)).toEqual(files);
  });
});

describe("rules kept in a committed migration's SQL", () => {
  it("the ingest function writes a key's last use as seldom as LAST_USED_RESOLUTION_MS says", () => {
    const sql = readFileSync(path.join(folder, "0002_ingest_function.sql"), "utf8");
    expect(sql).toContain(`last_used_at < now() - interval '${LAST_USED_RESOLUTION_MS / 1000} seconds'`);
  });
});
