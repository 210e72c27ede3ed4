import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import {
  apiKeyChecksum,
  generateApiKey,
  hashApiKey,
  LAST_USED_RESOLUTION_MS,
  safeEqual,
} from "@/lib/api-keys";
import { getDb } from "../index";
import { type ApiKey, apiKeys } from "../schema";
import { type AuditContext, recordAudit } from "./audit-log";

export type ApiKeyView = Omit<ApiKey, "keyHash">;

/** Creates a key and returns it in full, the only time it is ever available. */
export async function createApiKey(
  workspaceId: string,
  name: string,
  audit?: AuditContext,
): Promise<{ key: string; record: ApiKeyView }> {
  const db = await getDb();
  const { key, prefix, hash } = generateApiKey();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({ workspaceId, name, prefix, keyHash: hash, checksumKeyed: true })
      .returning();
    if (!row) throw new Error("Insert returned no row");
    const { keyHash: _, ...record } = row;
    if (audit) {
      await recordAudit(tx, audit, {
        action: "key.created",
        targetType: "api_key",
        targetId: row.id,
        targetLabel: `${name} (${prefix}…)`,
      });
    }
    return { key, record };
  });
}

export async function listApiKeys(workspaceId: string): Promise<ApiKeyView[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.workspaceId, workspaceId))
    .orderBy(desc(apiKeys.createdAt));
  return rows.map(({ keyHash: _, ...rest }) => rest);
}

/** Revokes a key of the workspace; returns false when there is no such active key. */
export async function revokeApiKey(audit: AuditContext, id: string): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.workspaceId, audit.workspaceId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix });
    if (!row) return false;
    await recordAudit(tx, audit, {
      action: "key.revoked",
      targetType: "api_key",
      targetId: row.id,
      targetLabel: `${row.name} (${row.prefix}…)`,
    });
    return true;
  });
}

/** How long this server trusts its list of active old-style keys before reading it again. */
const OLD_KEYS_REFRESH_MS = 60_000;
let oldKeys: { hashes: Promise<Set<string>>; readAt: number } | undefined;

/** The hashes of active keys made before migration 0014 (plain checksums), read at most once a minute. */
function activeOldKeyHashes(): Promise<Set<string>> {
  if (!oldKeys || Date.now() - oldKeys.readAt > OLD_KEYS_REFRESH_MS) {
    const hashes = getDb().then(async (db) => {
      const rows = await db
        .select({ hash: apiKeys.keyHash })
        .from(apiKeys)
        .where(and(eq(apiKeys.checksumKeyed, false), isNull(apiKeys.revokedAt)));
      return new Set(rows.map((r) => r.hash));
    });
    oldKeys = { hashes, readAt: Date.now() };
    hashes.catch(() => {
      oldKeys = undefined; // read again next time
    });
  }
  return oldKeys.hashes;
}

/**
 * Whether a presented key can be one leadhook issued, answered without a query for every key but the old
 * ones: a key whose checksum is keyed with this server's secret may be (the database decides); a key with
 * a plain checksum only if it is among the active old keys; anything else is not. A flood of forged keys
 * never reaches the database.
 */
export async function mayBeIssuedKey(presented: string): Promise<boolean> {
  const checksum = apiKeyChecksum(presented);
  if (checksum === "keyed") return true;
  if (checksum === "plain") return (await activeOldKeyHashes()).has(hashApiKey(presented));
  return false;
}

/**
 * The active key matching a presented key, or undefined. Keys leadhook cannot have issued are refused
 * before any query (mayBeIssuedKey); the stored hash is compared in constant time.
 */
export async function authenticateApiKey(presented: string): Promise<ApiKeyView | undefined> {
  if (!(await mayBeIssuedKey(presented))) return undefined;
  const hash = hashApiKey(presented);
  const db = await getDb();
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)));
  if (!row || !safeEqual(row.keyHash, hash)) return undefined;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.update(apiKeys).set({ lastUsedAt: sql`now()` }).where(eq(apiKeys.id, row.id));
  }
  const { keyHash: _, ...view } = row;
  return view;
}
