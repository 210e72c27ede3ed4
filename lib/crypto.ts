import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const VERSION = "v1";
/** Bound to its place: encrypted with associated data (the row and column it belongs in). */
const BOUND = "v2";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Parses a 256-bit key given as base64 (44 chars) or hex (64 chars). */
export function parseKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) {
    throw new Error("SECRETS_KEY must be 32 bytes, given as base64 or 64 hex characters");
  }
  return key;
}

/** Generates a new 256-bit key, base64-encoded, suitable for SECRETS_KEY. */
export function generateKey(): string {
  return randomBytes(32).toString("base64");
}

/**
 * Encrypts with AES-256-GCM; the result is `v1:<base64 of iv | tag | ciphertext>`, or with `boundTo`
 * (associated data naming where the value belongs, such as a row id and column) `v2:...`, which decrypts
 * only with the same `boundTo`: a value copied into another row or column is refused.
 */
export function encrypt(plaintext: string, key: Buffer, boundTo?: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  if (boundTo !== undefined) cipher.setAAD(Buffer.from(boundTo, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const version = boundTo !== undefined ? BOUND : VERSION;
  return `${version}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
}

/**
 * Decrypts a value made by {@link encrypt}; throws if it was altered, made with another key, or (given
 * `boundTo`) not bound to that place: an unbound (v1) value is refused where a bound one is expected.
 */
export function decrypt(payload: string, key: Buffer, boundTo?: string): string {
  const [version, data] = payload.split(":", 2);
  const expected = boundTo !== undefined ? BOUND : VERSION;
  if (version !== expected || !data) throw new Error("Unrecognised encrypted value");
  const raw = Buffer.from(data, "base64");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new Error("Encrypted value is truncated");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
  if (boundTo !== undefined) decipher.setAAD(Buffer.from(boundTo, "utf8"));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
    "utf8",
  );
}

const remembered = new WeakMap<Buffer, Map<string, string>>();
const REMEMBERED_MAX = 1000;

/**
 * {@link decrypt} for values read again and again (a callback's secrets, on every delivery): the last
 * 1,000 answers per key are kept in memory. Keyed by the encrypted value itself and where it is bound to,
 * so a changed secret (encrypted anew with a fresh IV) or a value copied elsewhere is never answered from
 * memory.
 */
export function decryptRemembered(payload: string, key: Buffer, boundTo?: string): string {
  let memo = remembered.get(key);
  if (!memo) {
    memo = new Map();
    remembered.set(key, memo);
  }
  const memoKey = `${boundTo ?? ""}\u0000${payload}`;
  const known = memo.get(memoKey);
  if (known !== undefined) return known;
  const plaintext = decrypt(payload, key, boundTo);
  if (memo.size >= REMEMBERED_MAX) memo.delete(memo.keys().next().value as string);
  memo.set(memoKey, plaintext);
  return plaintext;
}

/** A Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** The masked form shown in the UI: bullets and the last 4 characters. */
export function secretHint(secret: string): string {
  return `••••${secret.slice(-4)}`;
}
