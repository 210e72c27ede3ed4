import "server-only";
import { and, asc, eq, notInArray, sql } from "drizzle-orm";
import { decrypt, encrypt, generateSigningSecret, secretHint } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { getSecretsKey } from "@/lib/secrets-key";
import { isUuid } from "@/lib/uuid";
import type { CallbackInput, CallbackValues } from "@/lib/validations/callback";
import { isSameOrigin, secretMovedMessage, urlOrigin } from "@/lib/validations/callback-origin";
import type { ProcessSettingsInput, ProcessSettingsValues } from "@/lib/validations/process";
import { type Executor, getDb } from "../index";
import { type LeadUpdateCallback, leadUpdateCallbacks, processes } from "../schema";
import { type AuditContext, recordAudit } from "./audit-log";
import { getProcess } from "./processes";
import { callbackChanges, callbackRemoved, processChanges } from "./settings-audit";

/**
 * A stored callback as the form edits it: secrets reduced to masked hints, never their values, and the
 * saved URL as `storedUrl` (the origin a kept secret is tied to).
 */
export type CallbackView = CallbackInput & {
  id: string;
  signingSecretHint: string;
  previousSigningSecretExpiresAt: Date | null;
};

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
    storedUrl: row.url,
    enabled: row.enabled,
    signingSecretHint: secretHint(decrypt(row.signingSecretEncrypted, key)),
    previousSigningSecretExpiresAt: row.previousSigningSecretExpiresAt,
  }));
}

/**
 * Saves a process's details and its whole callback list in one transaction, only if the process is still
 * at `values.version`. Callbacks with an id are updated (an empty secret keeps the stored one while the
 * URL's origin is unchanged), new ones get a signing secret, and stored ones missing from the list are
 * removed. Returns the new version.
 */
export async function saveProcessSettings(
  workspaceId: string,
  processId: string,
  values: ProcessSettingsValues,
  audit?: AuditContext,
): Promise<{ version: number; reenabled: { callbackId: string; position: number }[] }> {
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
    // Callbacks switched back on: the page offers to replay what they missed.
    const reenabled: { callbackId: string; position: number }[] = [];
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
        if (!previous.enabled && cb.enabled) reenabled.push({ callbackId: cb.id, position });
        changes.push(...callbackChanges(position, previous, cb, cb.id));
        await tx
          .update(leadUpdateCallbacks)
          .set({ ...columnsFor(cb, previous, key, position), position, updatedAt: sql`now()` })
          .where(eq(leadUpdateCallbacks.id, cb.id));
      } else {
        const [inserted] = await tx
          .insert(leadUpdateCallbacks)
          .values({
            ...columnsFor(cb, undefined, key, position),
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
    return { version: updated.version, reenabled };
  });
}

function columnsFor(
  cb: CallbackValues,
  previous: LeadUpdateCallback | undefined,
  key: Buffer,
  position: number,
) {
  // A stored secret is only ever sent to the origin it was entered for, whatever the input claims.
  const movedFrom =
    previous && !isSameOrigin(previous.url, cb.url) ? (urlOrigin(previous.url) ?? previous.url) : null;
  const secret = (field: "bearerToken" | "authHeaderValue", stored: string | null | undefined) => {
    if (cb[field]) return encrypt(cb[field], key);
    if (stored && !movedFrom) return stored;
    // Validation refuses this first: refuse here too rather than save a callback without its credentials.
    const name = field === "bearerToken" ? "Bearer Token" : "Auth Value";
    const message =
      stored && movedFrom
        ? secretMovedMessage(name, movedFrom)
        : `${field === "bearerToken" ? "Token" : name} is required`;
    throw new AppError("invalid_request", "Fix the errors below before saving.", {
      fieldErrors: { [`callbacks.${position}.${field}`]: message },
    });
  };
  return {
    url: cb.url,
    payloadFormat: cb.payloadFormat,
    requiresWhitelisting: cb.requiresWhitelisting,
    authType: cb.authType,
    bearerTokenEncrypted:
      cb.authType === "bearer" ? secret("bearerToken", previous?.bearerTokenEncrypted) : null,
    authHeaderKey: cb.authType === "custom_header" ? cb.authHeaderKey : null,
    authHeaderValueEncrypted:
      cb.authType === "custom_header" ? secret("authHeaderValue", previous?.authHeaderValueEncrypted) : null,
    enabled: cb.enabled,
    ...(cb.enabled ? { disabledReason: null, disabledAt: null } : {}),
  };
}

/**
 * Everything the process page edits, as form values, plus each callback's signing secret hint and, for
 * callbacks whose rotation overlap is still running, when the previous secret stops signing (ISO).
 */
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
      callbacks: callbacks.map(({ signingSecretHint: _, previousSigningSecretExpiresAt: __, ...cb }) => cb),
    } satisfies ProcessSettingsInput,
    signingSecretHints: Object.fromEntries(callbacks.map((cb) => [cb.id, cb.signingSecretHint])),
    previousSecretExpiry: Object.fromEntries(
      callbacks.flatMap(({ id, previousSigningSecretExpiresAt: at }): [string, string][] =>
        at && at.getTime() > Date.now() ? [[id, at.toISOString()]] : [],
      ),
    ),
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
