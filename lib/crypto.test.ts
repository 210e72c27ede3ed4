import { describe, expect, it } from "vitest";
import {
  decrypt,
  decryptRemembered,
  encrypt,
  generateKey,
  generateSigningSecret,
  parseKey,
  secretHint,
} from "./crypto";

const key = parseKey(generateKey());

describe("encrypt / decrypt bound to a place (associated data)", () => {
  it("decrypts only where the value was bound to, and never an unbound value in its stead", () => {
    const here = "lead_update_callbacks:a:bearer_token";
    const stored = encrypt("tok_bound", key, here);
    expect(stored.startsWith("v2:")).toBe(true);
    expect(decrypt(stored, key, here)).toBe("tok_bound");
    expect(decryptRemembered(stored, key, here)).toBe("tok_bound");
    // Copied into another row, or another column of the same row: refused.
    expect(() => decrypt(stored, key, "lead_update_callbacks:b:bearer_token")).toThrow();
    expect(() => decryptRemembered(stored, key, "lead_update_callbacks:a:auth_header_value")).toThrow();
    // Where a bound value belongs, an unbound one is refused; and the reverse.
    expect(() => decrypt(encrypt("tok_unbound", key), key, here)).toThrow(/Unrecognised/);
    expect(() => decrypt(stored, key)).toThrow(/Unrecognised/);
  });
});

describe("encrypt / decrypt", () => {
  it("round-trips text, including unicode and empty strings", () => {
    for (const text of ["s3cr3t-token", "", "नमस्ते 🔐", "x".repeat(4096)]) {
      expect(decrypt(encrypt(text, key), key)).toBe(text);
    }
  });

  it("uses a fresh IV each time, so equal secrets do not look equal at rest", () => {
    expect(encrypt("same", key)).not.toBe(encrypt("same", key));
  });

  it("detects any change to the stored value", () => {
    const stored = encrypt("token-value", key);
    const raw = Buffer.from(stored.slice(3), "base64");
    for (const offset of [0, 12, 20, raw.length - 1]) {
      const tampered = Buffer.from(raw);
      tampered[offset] = (tampered[offset] ?? 0) ^ 0x01;
      expect(() => decrypt(`v1:${tampered.toString("base64")}`, key)).toThrow();
    }
  });

  it("refuses a value made with another key, a truncated value, or an unknown version", () => {
    const stored = encrypt("token-value", key);
    expect(() => decrypt(stored, parseKey(generateKey()))).toThrow();
    expect(() => decrypt("v1:AAAA", key)).toThrow(/truncated/);
    expect(() => decrypt(`v2:${stored.slice(3)}`, key)).toThrow(/Unrecognised/);
  });
});

describe("parseKey", () => {
  it("accepts 32 bytes as base64 or hex", () => {
    expect(parseKey(Buffer.alloc(32, 7).toString("base64"))).toHaveLength(32);
    expect(parseKey("ab".repeat(32))).toHaveLength(32);
  });

  it("rejects keys of any other length", () => {
    expect(() => parseKey(Buffer.alloc(31).toString("base64"))).toThrow(/32 bytes/);
    expect(() => parseKey(Buffer.alloc(33).toString("base64"))).toThrow(/32 bytes/);
    expect(() => parseKey("")).toThrow(/32 bytes/);
  });
});

describe("signing secrets", () => {
  it("are whsec_ + base64 of 32 random bytes, as Standard Webhooks defines", () => {
    const secret = generateSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    expect(generateSigningSecret()).not.toBe(secret);
  });

  it("are shown as a hint of their last four characters", () => {
    expect(secretHint("abcdefgh1234")).toBe("••••1234");
  });
});

describe("decryptRemembered", () => {
  it("answers what decrypt answers, a new secret's new value, and never another key's answer", () => {
    const stored = encrypt("token-one", key);
    expect(decryptRemembered(stored, key)).toBe("token-one");
    expect(decryptRemembered(stored, key)).toBe("token-one");
    const changed = encrypt("token-two", key);
    expect(decryptRemembered(changed, key)).toBe("token-two");
    expect(() => decryptRemembered(stored, parseKey(generateKey()))).toThrow();
    const raw = Buffer.from(stored.slice(3), "base64");
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 0x01;
    expect(() => decryptRemembered(`v1:${raw.toString("base64")}`, key)).toThrow();
  });

  it("keeps answering correctly past its bound", () => {
    const values = Array.from(
      { length: 1100 },
      (_, i) => [encrypt(`secret-${i}`, key), `secret-${i}`] as const,
    );
    for (const [stored, plain] of values) expect(decryptRemembered(stored, key)).toBe(plain);
    for (const [stored, plain] of values) expect(decryptRemembered(stored, key)).toBe(plain);
  });
});
