import "server-only";
import { and, eq, or, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { storedSecrets } from "@/lib/callback-secrets";
import { getSecretsKey } from "@/lib/secrets-key";
import { redactSecrets, secretForms } from "@/lib/webhooks/redact";
import type { Database } from "./index";
import { escapeLike } from "./queries/processes";
import { dataSteps, deliveries, deliveryAttempts, leadUpdateCallbacks } from "./schema";

export const REDACT_STEP = "redact-stored-excerpts";

/** Rows whose `columns` may hold one of the forms: each contains some form's first 4 characters. */
function mayHold(columns: AnyPgColumn[], forms: string[]): SQL | undefined {
  const heads = [...new Set(forms.map((f) => `%${escapeLike(f.slice(0, 4))}%`))];
  const list = sql.join(
    heads.map((h) => sql`${h}`),
    sql`, `,
  );
  return or(...columns.map((c) => sql`${c} like any (array[${list}]::text[])`));
}

/**
 * The data step that redacts what was stored before receivers' answers were redacted as they arrive
 * (lib/webhooks/deliver.ts): each callback's stored secrets, in every form `redactSecrets` knows, are
 * replaced by "[redacted]" in its attempts' response excerpts and error messages and its deliveries' last
 * errors. Reads every callback's attempts once (SQL narrows them to rows that contain a secret's first
 * characters), so it is recorded in data_steps and never runs again; returns the rows it rewrote, or null
 * when it had run before. A secret rotated away before this ran is not known any more and stays.
 */
export async function redactStoredExcerpts(db: Database): Promise<number | null> {
  const [done] = await db.select().from(dataSteps).where(eq(dataSteps.name, REDACT_STEP));
  if (done) return null;
  const callbacks = await db.select().from(leadUpdateCallbacks);
  const key = callbacks.length ? getSecretsKey() : undefined;
  let rewritten = 0;
  for (const callback of callbacks) {
    if (!key) break;
    const forms = secretForms(storedSecrets(callback, key));
    if (!forms.length) continue;
    const attempts = await db
      .select({
        id: deliveryAttempts.id,
        responseExcerpt: deliveryAttempts.responseExcerpt,
        errorMessage: deliveryAttempts.errorMessage,
      })
      .from(deliveryAttempts)
      .where(
        and(
          eq(deliveryAttempts.callbackId, callback.id),
          mayHold([deliveryAttempts.responseExcerpt, deliveryAttempts.errorMessage], forms),
        ),
      );
    for (const attempt of attempts) {
      const responseExcerpt = attempt.responseExcerpt && redactSecrets(attempt.responseExcerpt, forms);
      const errorMessage = attempt.errorMessage && redactSecrets(attempt.errorMessage, forms);
      if (responseExcerpt === attempt.responseExcerpt && errorMessage === attempt.errorMessage) continue;
      await db
        .update(deliveryAttempts)
        .set({ responseExcerpt, errorMessage })
        .where(eq(deliveryAttempts.id, attempt.id));
      rewritten++;
    }
    const failed = await db
      .select({ id: deliveries.id, lastError: deliveries.lastError })
      .from(deliveries)
      .where(and(eq(deliveries.callbackId, callback.id), mayHold([deliveries.lastError], forms)));
    for (const delivery of failed) {
      const lastError = delivery.lastError && redactSecrets(delivery.lastError, forms);
      if (lastError === delivery.lastError) continue;
      // Only if no attempt wrote a newer one meanwhile (a server still running during the migration).
      await db
        .update(deliveries)
        .set({ lastError })
        .where(and(eq(deliveries.id, delivery.id), eq(deliveries.lastError, delivery.lastError ?? "")));
      rewritten++;
    }
  }
  await db.insert(dataSteps).values({ name: REDACT_STEP }).onConflictDoNothing();
  return rewritten;
}
