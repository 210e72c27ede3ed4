import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { scratchDir } from "@/testing/scratch";
import { getAuthSecret, getSecretsKey } from "./secrets-key";

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
    vi.stubEnv("DATA_DIR", scratchDir());
    expect(() => getSecretsKey()).toThrow(/SECRETS_KEY is required in production/);
  });

  it("generates a development key once, private to its owner, and keeps using it", () => {
    const dir = scratchDir();
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

describe("getAuthSecret", () => {
  it("uses BETTER_AUTH_SECRET when it is set", () => {
    vi.stubEnv("BETTER_AUTH_SECRET", "s".repeat(40));
    expect(getAuthSecret()).toBe("s".repeat(40));
  });

  it("refuses to run in production without BETTER_AUTH_SECRET", () => {
    vi.stubEnv("BETTER_AUTH_SECRET", "");
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("DATA_DIR", scratchDir());
    expect(() => getAuthSecret()).toThrow(/BETTER_AUTH_SECRET is required in production/);
  });

  it("refuses a secret too short to sign sessions with", () => {
    vi.stubEnv("BETTER_AUTH_SECRET", "short");
    expect(() => getAuthSecret()).toThrow(/at least 32 characters/);
  });

  it("generates a development secret once under DATA_DIR and keeps using it", () => {
    const dir = scratchDir();
    vi.stubEnv("BETTER_AUTH_SECRET", "");
    vi.stubEnv("NODE_ENV", "development");
    vi.stubEnv("DATA_DIR", dir);
    const first = getAuthSecret();
    const file = path.join(dir, "auth.secret");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8").trim()).toBe(first);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(getAuthSecret()).toBe(first);
  });
});
