import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { generateApiKey, hashApiKey, isWellFormedApiKey, safeEqual } from "@/lib/api-keys";
import { getDb } from "../index";
import { type ApiKey, apiKeys } from "../schema";
import { isUuid } from "./processes";

export type ApiKeyView = Omit<ApiKey, "keyHash">;

/** Creates a key and returns it in full, the only time it is ever available. */
export async function createApiKey(
  workspaceId: string,
  name: string,
): Promise<{ key: string; record: ApiKeyView }> {
  const db = await getDb();
  const { key, prefix, hash } = generateApiKey();
  const [row] = await db.insert(apiKeys).values({ workspaceId, name, prefix, keyHash: hash }).returning();
  if (!row) throw new Error("Insert returned no row");
  const { keyHash: _, ...record } = row;
  return { key, record };
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
export async function revokeApiKey(workspaceId: string, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const db = await getDb();
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.workspaceId, workspaceId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
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
  // Last use is advisory: at most one write a minute per key.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(apiKeys).set({ lastUsedAt: sql`now()` }).where(eq(apiKeys.id, row.id));
  }
  const { keyHash: _, ...view } = row;
  return view;
}
