import { describe, expect, it } from "vitest";
import { bearerFrom, generateApiKey, hashApiKey, isWellFormedApiKey } from "./api-keys";

describe("ingest keys", () => {
  it("look like lh_ + 38 url-safe characters and carry a checksum", () => {
    const { key, prefix, hash } = generateApiKey();
    expect(key).toMatch(/^lh_[A-Za-z0-9_-]{38}$/);
    expect(key.startsWith(prefix)).toBe(true);
    expect(hash).toBe(hashApiKey(key));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(isWellFormedApiKey(key)).toBe(true);
  });

  it("refuse typos, truncation and foreign shapes before any lookup", () => {
    const { key } = generateApiKey();
    const typo = `${key.slice(0, 10)}${key[10] === "A" ? "B" : "A"}${key.slice(11)}`;
    for (const bad of [typo, key.slice(0, -1), `${key}x`, key.replace("lh_", "sk_"), ""]) {
      expect(isWellFormedApiKey(bad)).toBe(false);
    }
  });

  it("are read from a Bearer authorization header only", () => {
    expect(bearerFrom("Bearer lh_abc")).toBe("lh_abc");
    expect(bearerFrom("bearer   lh_abc ")).toBe("lh_abc");
    expect(bearerFrom("Basic abc")).toBeNull();
    expect(bearerFrom("Bearer a b")).toBeNull();
    expect(bearerFrom(null)).toBeNull();
  });
});
