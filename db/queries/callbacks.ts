import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, eq, notInArray, sql } from "drizzle-orm";
import { callbackLabel } from "@/lib/callback-label";
import { encryptedAuthColumns, newSigningSecret, secretHints } from "@/lib/callback-secrets";
import { AppError, messages } from "@/lib/errors";
import { getSecretsKey } from "@/lib/secrets-key";
import type { CallbackInput, CallbackValues } from "@/lib/validations/callback";
import type { ProcessSettingsInput, ProcessSettingsValues } from "@/lib/validations/process";
import { type Executor, getDb } from "../index";
import { type LeadUpdateCallback, leadUpdateCallbacks, type Process, processes } from "../schema";
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
  return rows.map((row) => callbackView(row, key));
}

function callbackView(row: LeadUpdateCallback, key: Buffer): CallbackView {
  const { storedBearerTokenHint, storedAuthHeaderValueHint, signingSecretHint } = secretHints(row, key);
  return {
    id: row.id,
    name: row.name ?? "",
    url: row.url,
    payloadFormat: row.payloadFormat,
    requiresWhitelisting: row.requiresWhitelisting,
    authType: row.authType,
    bearerToken: "",
    storedBearerTokenHint,
    authHeaderKey: row.authHeaderKey ?? "",
    authHeaderValue: "",
    storedAuthHeaderValueHint,
    storedUrl: row.url,
    enabled: row.enabled,
    signingSecretHint,
    previousSigningSecretExpiresAt: row.previousSigningSecretExpiresAt,
  };
}

/**
 * Saves a process's details and its whole callback list in one transaction, only if the process is still
 * at `values.version`. Callbacks with an id are updated (an empty secret keeps the stored one while the
 * URL's origin is unchanged), new ones get a signing secret, and stored ones missing from the list are
 * removed. Secrets are encrypted by lib/callback-secrets before any statement sees them. Returns what was
 * saved, as getProcessSettings would read it (form values and signing secret hints), with the new version
 * and the callbacks switched back on. `db` lets a caller's transaction (the seed's) hold the save.
 */
export async function saveProcessSettings(
  workspaceId: string,
  processId: string,
  values: ProcessSettingsValues,
  audit?: AuditContext,
  db?: Executor,
): Promise<SavedProcessSettings> {
  const exec = db ?? (await getDb());
  const key = getSecretsKey();
  return exec.transaction(async (tx) => {
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
      .returning();
    if (!updated || !before) {
      if (!before) throw new AppError("not_found", messages.processGone);
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
    const saved: LeadUpdateCallback[] = [];
    // Callbacks switched back on: the page offers to replay what they missed.
    const reenabled: { callbackId: string; position: number; name: string | null }[] = [];
    const changes = processChanges(before, values);
    for (const [position, cb] of values.callbacks.entries()) {
      if (cb.id) {
        const previous = stored.get(cb.id);
        if (!previous) {
          throw new AppError(
            "conflict",
            `${callbackLabel({ name: cb.name, position })} was removed elsewhere. Reload and try again.`,
          );
        }
        keptIds.push(cb.id);
        if (!previous.enabled && cb.enabled)
          reenabled.push({ callbackId: cb.id, position, name: cb.name || null });
        changes.push(...callbackChanges(position, previous, cb, cb.id));
        const [row] = await tx
          .update(leadUpdateCallbacks)
          .set({ ...columnsFor(cb, previous, key, position, cb.id), position, updatedAt: sql`now()` })
          .where(eq(leadUpdateCallbacks.id, cb.id))
          .returning();
        if (row) saved.push(row);
      } else {
        // The id is made here: the new callback's secrets are encrypted bound to it.
        const id = randomUUID();
        const [inserted] = await tx
          .insert(leadUpdateCallbacks)
          .values({
            id,
            ...columnsFor(cb, undefined, key, position, id),
            processId,
            position,
            signingSecretEncrypted: newSigningSecret(key, id).signingSecretEncrypted,
          })
          .returning();
        if (inserted) {
          keptIds.push(inserted.id);
          saved.push(inserted);
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
    const views = saved.map((row) => callbackView(row, key));
    return { version: updated.version, reenabled, ...settingsOf(updated, views) };
  });
}

export type SavedProcessSettings = ReturnType<typeof settingsOf> & {
  version: number;
  reenabled: { callbackId: string; position: number; name: string | null }[];
};

/** The columns a callback is stored with: the form's values, its secrets encrypted by lib/callback-secrets. */
function columnsFor(
  cb: CallbackValues,
  previous: LeadUpdateCallback | undefined,
  key: Buffer,
  position: number,
  callbackId: string,
) {
  return {
    name: cb.name || null,
    url: cb.url,
    payloadFormat: cb.payloadFormat,
    requiresWhitelisting: cb.requiresWhitelisting,
    ...encryptedAuthColumns(cb, previous, key, position, callbackId),
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
    ...settingsOf(process, callbacks),
    previousSecretExpiry: Object.fromEntries(
      callbacks.flatMap(({ id, previousSigningSecretExpiresAt: at }): [string, string][] =>
        at && at.getTime() > Date.now() ? [[id, at.toISOString()]] : [],
      ),
    ),
  };
}

/** A process and its callbacks as the form holds them, and each callback's signing secret hint by id. */
function settingsOf(process: Process, callbacks: CallbackView[]) {
  return {
    values: {
      version: process.version,
      name: process.name,
      description: process.description,
      language: process.language,
      status: process.status,
      callbacks: callbacks.map(({ signingSecretHint: _, previousSigningSecretExpiresAt: __, ...cb }) => cb),
    } satisfies ProcessSettingsInput,
    signingSecretHints: Object.fromEntries(callbacks.map((cb) => [cb.id, cb.signingSecretHint])),
  };
}

/** A callback with its process, only if both belong to the workspace. */
export async function getCallbackOfProcess(workspaceId: string, processId: string, callbackId: string) {
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
