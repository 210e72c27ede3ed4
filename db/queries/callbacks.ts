import "server-only";
import { and, asc, eq, notInArray, sql } from "drizzle-orm";
import { decrypt, encrypt, generateSigningSecret, secretHint } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { getSecretsKey } from "@/lib/secrets-key";
import { isUuid } from "@/lib/uuid";
import type { CallbackInput, CallbackValues } from "@/lib/validations/callback";
import type { ProcessSettingsInput, ProcessSettingsValues } from "@/lib/validations/process";
import { type Executor, getDb } from "../index";
import { type LeadUpdateCallback, leadUpdateCallbacks, processes } from "../schema";
import { type AuditContext, recordAudit } from "./audit-log";
import { getProcess } from "./processes";
import { callbackChanges, callbackRemoved, processChanges } from "./settings-audit";

/** A stored callback as the form edits it: secrets reduced to masked hints, never their values. */
export type CallbackView = CallbackInput & { id: string; signingSecretHint: string };

/** The callbacks of a process in order, ready for the form. */
export async function listCallbacks(processId: string, db?: Executor): Promise<CallbackView[]> {
  const exec = db ?? (await getDb());
  const rows = await exec
    .select()
    .from(leadUpdateCallbacks)
    .where(eq(leadUpdateCallbacks.processId, processId))
    .orderBy(asc(leadUpdateCallbacks.position));
  const key = getSecretsKey();
  const hint = (value: string | null) => (value ? secretHint(decrypt(value, key)) : null);
  return rows.map((row) => ({
    id: row.id,
    url: row.url,
    payloadFormat: row.payloadFormat,
    requiresWhitelisting: row.requiresWhitelisting,
    authType: row.authType,
    bearerToken: "",
    storedBearerTokenHint: hint(row.bearerTokenEncrypted),
    authHeaderKey: row.authHeaderKey ?? "",
    authHeaderValue: "",
    storedAuthHeaderValueHint: hint(row.authHeaderValueEncrypted),
    enabled: row.enabled,
    signingSecretHint: secretHint(decrypt(row.signingSecretEncrypted, key)),
  }));
}

/**
 * Saves a process's details and its whole callback list in one transaction, only if the process is still
 * at `values.version`. Callbacks with an id are updated (an empty secret keeps the stored one), new ones
 * get a signing secret, and stored ones missing from the list are removed. Returns the new version.
 */
export async function saveProcessSettings(
  workspaceId: string,
  processId: string,
  values: ProcessSettingsValues,
  audit?: AuditContext,
): Promise<{ version: number }> {
  const db = await getDb();
  const key = getSecretsKey();
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(processes)
      .where(and(eq(processes.id, processId), eq(processes.workspaceId, workspaceId)));
    const [updated] = await tx
      .update(processes)
      .set({
        name: values.name,
        description: values.description,
        language: values.language,
        status: values.status,
        version: sql`${processes.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(
        and(
          eq(processes.id, processId),
          eq(processes.workspaceId, workspaceId),
          eq(processes.version, values.version),
        ),
      )
      .returning({ version: processes.version });
    if (!updated || !before) {
      if (!before) throw new AppError("not_found", "This process no longer exists.");
      throw new AppError(
        "conflict",
        "This process was changed elsewhere since you opened it. Reload to see the latest version, then make your changes again.",
      );
    }

    const stored = new Map(
      (await tx.select().from(leadUpdateCallbacks).where(eq(leadUpdateCallbacks.processId, processId))).map(
        (row) => [row.id, row],
      ),
    );
    const keptIds: string[] = [];
    const changes = processChanges(before, values);
    for (const [position, cb] of values.callbacks.entries()) {
      if (cb.id) {
        const previous = stored.get(cb.id);
        if (!previous) {
          throw new AppError(
            "conflict",
            `Callback ${position + 1} was removed elsewhere. Reload and try again.`,
          );
        }
        keptIds.push(cb.id);
        changes.push(...callbackChanges(position, previous, cb, cb.id));
        await tx
          .update(leadUpdateCallbacks)
          .set({ ...columnsFor(cb, previous, key), position, updatedAt: sql`now()` })
          .where(eq(leadUpdateCallbacks.id, cb.id));
      } else {
        const [inserted] = await tx
          .insert(leadUpdateCallbacks)
          .values({
            ...columnsFor(cb, undefined, key),
            processId,
            position,
            signingSecretEncrypted: encrypt(generateSigningSecret(), key),
          })
          .returning({ id: leadUpdateCallbacks.id });
        if (inserted) {
          keptIds.push(inserted.id);
          changes.push(...callbackChanges(position, undefined, cb, inserted.id));
        }
      }
    }
    const removed = eq(leadUpdateCallbacks.processId, processId);
    const removedRows = await tx
      .delete(leadUpdateCallbacks)
      .where(keptIds.length ? and(removed, notInArray(leadUpdateCallbacks.id, keptIds)) : removed)
      .returning();
    changes.push(...removedRows.map(callbackRemoved));
    if (audit) await recordAudit(tx, audit, ...changes);
    return { version: updated.version };
  });
}

function columnsFor(cb: CallbackValues, previous: LeadUpdateCallback | undefined, key: Buffer) {
  const keep = (typed: string, stored: string | null | undefined) =>
    typed ? encrypt(typed, key) : (stored ?? null);
  return {
    url: cb.url,
    payloadFormat: cb.payloadFormat,
    requiresWhitelisting: cb.requiresWhitelisting,
    authType: cb.authType,
    bearerTokenEncrypted:
      cb.authType === "bearer" ? keep(cb.bearerToken, previous?.bearerTokenEncrypted) : null,
    authHeaderKey: cb.authType === "custom_header" ? cb.authHeaderKey : null,
    authHeaderValueEncrypted:
      cb.authType === "custom_header" ? keep(cb.authHeaderValue, previous?.authHeaderValueEncrypted) : null,
    enabled: cb.enabled,
    ...(cb.enabled ? { disabledReason: null } : {}),
  };
}

async function findCallback(workspaceId: string, processId: string, callbackId: string) {
  return (await getCallbackOfProcess(workspaceId, processId, callbackId))?.callback;
}

/** The plaintext signing secret, for an admin who asked to reveal or copy it. */
export async function revealSigningSecret(audit: AuditContext, processId: string, callbackId: string) {
  const row = await findCallback(audit.workspaceId, processId, callbackId);
  if (!row) throw new AppError("not_found", "This callback no longer exists. Reload the page.");
  // Recorded before the secret leaves: a reveal that cannot be recorded does not happen.
  await recordAudit(await getDb(), audit, { action: "secret.revealed", ...callbackTarget(row) });
  return decrypt(row.signingSecretEncrypted, getSecretsKey());
}

/** The plaintext signing secret for code that verifies deliveries (fixtures, scripts); not audited. */
export async function getSigningSecret(workspaceId: string, processId: string, callbackId: string) {
  const row = await findCallback(workspaceId, processId, callbackId);
  if (!row) throw new AppError("not_found", "This callback no longer exists.");
  return decrypt(row.signingSecretEncrypted, getSecretsKey());
}

function callbackTarget(row: LeadUpdateCallback) {
  return {
    targetType: "callback",
    targetId: row.id,
    targetLabel: `Callback ${row.position + 1} (${row.url})`,
  };
}

/** Replaces a callback's signing secret at once; returns the new secret's hint. */
export async function rotateSigningSecret(audit: AuditContext, processId: string, callbackId: string) {
  const row = await findCallback(audit.workspaceId, processId, callbackId);
  if (!row) throw new AppError("not_found", "This callback no longer exists. Reload the page.");
  const secret = generateSigningSecret();
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [rotated] = await tx
      .update(leadUpdateCallbacks)
      .set({ signingSecretEncrypted: encrypt(secret, getSecretsKey()), updatedAt: sql`now()` })
      .where(and(eq(leadUpdateCallbacks.id, row.id), eq(leadUpdateCallbacks.processId, row.processId)))
      .returning({ id: leadUpdateCallbacks.id });
    if (!rotated) throw new AppError("not_found", "This callback no longer exists. Reload the page.");
    await recordAudit(tx, audit, { action: "secret.rotated", ...callbackTarget(row) });
  });
  return { hint: secretHint(secret) };
}

/** Everything the process page edits, as form values, plus each callback's signing secret hint. */
export async function getProcessSettings(workspaceId: string, processId: string) {
  const process = await getProcess(workspaceId, processId);
  if (!process) return undefined;
  const callbacks = await listCallbacks(process.id);
  return {
    process,
    values: {
      version: process.version,
      name: process.name,
      description: process.description,
      language: process.language,
      status: process.status,
      callbacks: callbacks.map(({ signingSecretHint: _, ...cb }) => cb),
    } satisfies ProcessSettingsInput,
    signingSecretHints: Object.fromEntries(callbacks.map((cb) => [cb.id, cb.signingSecretHint])),
  };
}

/** A callback with its process, only if both belong to the workspace. */
export async function getCallbackOfProcess(workspaceId: string, processId: string, callbackId: string) {
  if (!isUuid(processId) || !isUuid(callbackId)) return undefined;
  const db = await getDb();
  const [row] = await db
    .select({ callback: leadUpdateCallbacks, process: processes })
    .from(leadUpdateCallbacks)
    .innerJoin(processes, eq(processes.id, leadUpdateCallbacks.processId))
    .where(
      and(
        eq(leadUpdateCallbacks.id, callbackId),
        eq(processes.id, processId),
        eq(processes.workspaceId, workspaceId),
      ),
    );
  return row;
}
