import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import {
  generateApiKey,
  hashApiKey,
  isWellFormedApiKey,
  LAST_USED_RESOLUTION_MS,
  safeEqual,
} from "@/lib/api-keys";
import { isUuid } from "@/lib/uuid";
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
    const [row] = await tx.insert(apiKeys).values({ workspaceId, name, prefix, keyHash: hash }).returning();
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
  if (!isUuid(id)) return false;
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

/**
 * The active key matching a presented key, or undefined. Malformed keys are refused before any query;
 * the stored hash is compared in constant time.
 */
export async function authenticateApiKey(presented: string): Promise<ApiKeyView | undefined> {
  if (!isWellFormedApiKey(presented)) return undefined;
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
