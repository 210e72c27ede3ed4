import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { AppError } from "./errors";
import { getSecretsKey } from "./secrets-key";

/**
 * A key's last use is advisory: it is written at most once in this long, so busy producers do not write
 * the key's row on every request. The ingest function in SQL (leadhook_ingest, migration 0002) keeps the
 * same rule as `interval '60 seconds'`; committed migrations never change, so changing this value takes a
 * new migration replacing that function (db/migrations.test.ts checks the two agree).
 */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** Requests with a missing, unknown or revoked key one client address may send a minute before a 429. */
export const BAD_KEY_ATTEMPTS_PER_MINUTE = 20;

const PREFIX = "lh_";
const BODY_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const KEY_PATTERN = new RegExp(`^${PREFIX}[A-Za-z0-9_-]{${BODY_LENGTH}}[A-Za-z0-9_-]{${CHECKSUM_LENGTH}}$`);

let checksumSecret: { secretsKey: Buffer; secret: Buffer } | undefined;

/** HMAC-SHA256 of the key's body under a key derived from SECRETS_KEY: only this server can make one. */
function keyedChecksum(body: string): string {
  const secretsKey = getSecretsKey();
  if (checksumSecret?.secretsKey !== secretsKey) {
    const secret = createHmac("sha256", secretsKey).update("leadhook ingest key checksum").digest();
    checksumSecret = { secretsKey, secret };
  }
  return createHmac("sha256", checksumSecret.secret)
    .update(body)
    .digest("base64url")
    .slice(0, CHECKSUM_LENGTH);
}

/** The checksum of keys made before migration 0014: plain SHA-256, which anyone can compute. */
function plainChecksum(body: string): string {
  return createHash("sha256").update(body).digest("base64url").slice(0, CHECKSUM_LENGTH);
}

/**
 * A new ingest key: `lh_` + 24 random bytes (base64url) + a 6-character checksum keyed with the server's
 * secret, so typos, truncated and forged keys are refused without a database lookup, and secret scanners
 * can recognise the shape.
 */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const body = randomBytes(24).toString("base64url");
  const key = `${PREFIX}${body}${keyedChecksum(body)}`;
  return { key, prefix: key.slice(0, PREFIX.length + 6), hash: hashApiKey(key) };
}

/**
 * What a presented key's checksum says: `keyed`, made by this server (or one sharing its SECRETS_KEY);
 * `plain`, the checksum of keys made before migration 0014, which a forger can compute too (such a key is
 * one only if it is among the stored old keys); null, no leadhook key at all.
 */
export function apiKeyChecksum(key: string): "keyed" | "plain" | null {
  if (!KEY_PATTERN.test(key)) return null;
  const body = key.slice(PREFIX.length, PREFIX.length + BODY_LENGTH);
  const presented = key.slice(PREFIX.length + BODY_LENGTH);
  if (safeEqual(keyedChecksum(body), presented)) return "keyed";
  if (safeEqual(plainChecksum(body), presented)) return "plain";
  return null;
}

/** What is stored instead of the key: its SHA-256, hex. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The key from an `Authorization: Bearer <key>` header, or null. */
export function bearerFrom(header: string | null): string | null {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1] ?? null;
}

/** The error for a presented key that is malformed, unknown or revoked (they are not told apart). */
export function unknownApiKeyError(): AppError {
  return new AppError("unauthorized", "This ingest key is unknown or revoked");
}
