import "server-only";
import { eq, like, or } from "drizzle-orm";
import { secretPlace } from "@/lib/callback-secrets";
import { decrypt, encrypt } from "@/lib/crypto";
import { getSecretsKey } from "@/lib/secrets-key";
import type { Database } from "./index";
import { leadUpdateCallbacks } from "./schema";

const columns = {
  bearerTokenEncrypted: "bearer_token",
  authHeaderValueEncrypted: "auth_header_value",
  signingSecretEncrypted: "signing_secret",
  previousSigningSecretEncrypted: "signing_secret",
} as const;
type Column = keyof typeof columns;

/**
 * The data step of binding callback secrets to their row (it cannot be SQL: the key is the server's):
 * every secret still stored unbound (`v1:`, from before) is encrypted again bound to its callback and
 * column (`v2:`), which is all the app decrypts now. Runs with every migration; does nothing (and needs no
 * key) once none is left. Each callback in a transaction of its own, its row locked meanwhile.
 */
export async function bindStoredSecrets(db: Database): Promise<number> {
  const unbound = or(...(Object.keys(columns) as Column[]).map((c) => like(leadUpdateCallbacks[c], "v1:%")));
  const ids = await db.select({ id: leadUpdateCallbacks.id }).from(leadUpdateCallbacks).where(unbound);
  if (!ids.length) return 0;
  const key = getSecretsKey();
  for (const { id } of ids) {
    await db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(leadUpdateCallbacks)
        .where(eq(leadUpdateCallbacks.id, id))
        .for("update");
      if (!row) return;
      const bound: Partial<Record<Column, string>> = {};
      for (const column of Object.keys(columns) as Column[]) {
        const value = row[column];
        if (value?.startsWith("v1:"))
          bound[column] = encrypt(decrypt(value, key), key, secretPlace(id, columns[column]));
      }
      await tx.update(leadUpdateCallbacks).set(bound).where(eq(leadUpdateCallbacks.id, id));
    });
  }
  return ids.length;
}
