import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { apiKeyChecksum, bearerFrom, generateApiKey, hashApiKey } from "./api-keys";

describe("ingest keys", () => {
  it("look like lh_ + 38 url-safe characters and carry a checksum", () => {
    const { key, prefix, hash } = generateApiKey();
    expect(key).toMatch(/^lh_[A-Za-z0-9_-]{38}$/);
    expect(key.startsWith(prefix)).toBe(true);
    expect(hash).toBe(hashApiKey(key));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(apiKeyChecksum(key)).toBe("keyed");
  });

  it("carry a checksum keyed with the server's secret, which a forger cannot compute", () => {
    // A forged key with the plain SHA-256 checksum of keys made before migration 0014 is told apart.
    const body = randomBytes(24).toString("base64url");
    const plain = createHash("sha256").update(body).digest("base64url").slice(0, 6);
    expect(apiKeyChecksum(`lh_${body}${plain}`)).toBe("plain");
    expect(apiKeyChecksum(`lh_${body}${"A".repeat(6)}`)).toBeNull();
  });

  it("refuse typos, truncation and foreign shapes before any lookup", () => {
    const { key } = generateApiKey();
    const typo = `${key.slice(0, 10)}${key[10] === "A" ? "B" : "A"}${key.slice(11)}`;
    for (const bad of [typo, key.slice(0, -1), `${key}x`, key.replace("lh_", "sk_"), ""]) {
      expect(apiKeyChecksum(bad)).toBeNull();
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
