import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getSecretsKey } from "./secrets-key";

afterEach(() => vi.unstubAllEnvs());

describe("getSecretsKey", () => {
  it("uses SECRETS_KEY when it is set", () => {
    const key = Buffer.alloc(32, 9);
    vi.stubEnv("SECRETS_KEY", key.toString("base64"));
    expect(getSecretsKey().equals(key)).toBe(true);
  });

  it("refuses to run in production without SECRETS_KEY", () => {
    vi.stubEnv("SECRETS_KEY", "");
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("DATA_DIR", mkdtempSync(path.join(tmpdir(), "leadhook-")));
    expect(() => getSecretsKey()).toThrow(/SECRETS_KEY is required in production/);
  });

  it("generates a development key once, private to its owner, and keeps using it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "leadhook-"));
    vi.stubEnv("SECRETS_KEY", "");
    vi.stubEnv("NODE_ENV", "development");
    vi.stubEnv("DATA_DIR", dir);
    const first = getSecretsKey();
    const file = path.join(dir, "secrets.key");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, "utf8").trim(), "base64").equals(first)).toBe(true);
    expect(getSecretsKey().equals(first)).toBe(true);
  });
});
