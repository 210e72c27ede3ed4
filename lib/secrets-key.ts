import "server-only";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generateKey, parseKey } from "./crypto";
import { type Env, getEnv } from "./env";

let cached: { source: string; key: Buffer } | undefined;

/**
 * The key that encrypts secrets at rest. SECRETS_KEY wins; in production it is required. In development
 * a key is generated once and kept in DATA_DIR/secrets.key so restarts can still read stored secrets.
 * A caller that already holds the environment passes it, saving a second parse.
 */
export function getSecretsKey(env: Env = getEnv()): Buffer {
  const source = env.SECRETS_KEY ?? `file:${path.resolve(env.DATA_DIR, "secrets.key")}`;
  if (cached?.source === source) return cached.key;
  let key: Buffer;
  if (env.SECRETS_KEY) {
    key = parseKey(env.SECRETS_KEY);
  } else if (env.NODE_ENV === "production") {
    throw new Error("SECRETS_KEY is required in production (generate one with: openssl rand -base64 32)");
  } else {
    key = parseKey(readOrCreateKeyFile(path.resolve(env.DATA_DIR, "secrets.key")));
  }
  cached = { source, key };
  return key;
}

let cachedAuth: { source: string; secret: string } | undefined;

/**
 * The secret that signs session cookies. BETTER_AUTH_SECRET wins; in production it is required. In
 * development one is generated once and kept in DATA_DIR/auth.secret, so sessions survive a restart.
 */
export function getAuthSecret(env: Env = getEnv()): string {
  const source = env.BETTER_AUTH_SECRET ?? `file:${path.resolve(env.DATA_DIR, "auth.secret")}`;
  if (cachedAuth?.source === source) return cachedAuth.secret;
  let secret: string;
  if (env.BETTER_AUTH_SECRET) {
    secret = env.BETTER_AUTH_SECRET;
  } else if (env.NODE_ENV === "production") {
    throw new Error(
      "BETTER_AUTH_SECRET is required in production (generate one with: openssl rand -base64 32)",
    );
  } else {
    secret = readOrCreateKeyFile(path.resolve(env.DATA_DIR, "auth.secret")).trim();
  }
  cachedAuth = { source, secret };
  return secret;
}

function readOrCreateKeyFile(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8");
  mkdirSync(path.dirname(file), { recursive: true });
  const key = generateKey();
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process created it first: use theirs, so both encrypt with one key.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file, "utf8");
    throw error;
  }
  chmodSync(file, 0o600);
  return key;
}
