import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { callbackLabelWithUrl } from "@/lib/callback-label";
import { newSigningSecret, signingSecretOf } from "@/lib/callback-secrets";
import { AppError, messages } from "@/lib/errors";
import { getSecretsKey } from "@/lib/secrets-key";
import { getDb } from "../index";
import { type LeadUpdateCallback, leadUpdateCallbacks } from "../schema";
import { type AuditContext, recordAudit } from "./audit-log";
import { getCallbackOfProcess } from "./callbacks";

// A callback's Standard Webhooks signing secret: revealed (recorded first), read by code that verifies
// deliveries, rotated.

async function findCallback(workspaceId: string, processId: string, callbackId: string) {
  return (await getCallbackOfProcess(workspaceId, processId, callbackId))?.callback;
}

/** The plaintext signing secret, for an admin who asked to reveal or copy it. */
export async function revealSigningSecret(audit: AuditContext, processId: string, callbackId: string) {
  const row = await findCallback(audit.workspaceId, processId, callbackId);
  if (!row) throw new AppError("not_found", messages.callbackGone);
  // Recorded before the secret leaves: a reveal that cannot be recorded does not happen.
  await recordAudit(await getDb(), audit, { action: "secret.revealed", ...callbackTarget(row) });
  return signingSecretOf(row, getSecretsKey());
}

/** The plaintext signing secret for code that verifies deliveries (fixtures, scripts); not audited. */
export async function getSigningSecret(workspaceId: string, processId: string, callbackId: string) {
  const row = await findCallback(workspaceId, processId, callbackId);
  if (!row) throw new AppError("not_found", "This callback no longer exists.");
  return signingSecretOf(row, getSecretsKey());
}

function callbackTarget(row: LeadUpdateCallback) {
  return {
    targetType: "callback",
    targetId: row.id,
    targetLabel: callbackLabelWithUrl(row),
  };
}

/** How long deliveries stay signed with the secret a rotation replaced. */
export const SIGNING_SECRET_OVERLAP_HOURS = 24;

/**
 * Replaces a callback's signing secret and keeps the old one as the previous secret for
 * SIGNING_SECRET_OVERLAP_HOURS, during which deliveries carry both signatures. Only one previous secret is
 * kept: rotating again within the overlap makes the current secret the previous one (with a fresh overlap)
 * and drops the older one at once. Returns the new secret's hint and when the previous one stops signing.
 */
export async function rotateSigningSecret(audit: AuditContext, processId: string, callbackId: string) {
  const row = await findCallback(audit.workspaceId, processId, callbackId);
  if (!row) throw new AppError("not_found", messages.callbackGone);
  const { signingSecretEncrypted, hint } = newSigningSecret(getSecretsKey(), row.id);
  const db = await getDb();
  const previousExpiresAt = await db.transaction(async (tx) => {
    // The secret in the row at update time becomes the previous one, so two rotations racing each other
    // still leave the secret the first one produced as the previous secret.
    const [rotated] = await tx
      .update(leadUpdateCallbacks)
      .set({
        signingSecretEncrypted,
        previousSigningSecretEncrypted: sql`${leadUpdateCallbacks.signingSecretEncrypted}`,
        previousSigningSecretExpiresAt: sql`now() + make_interval(hours => ${SIGNING_SECRET_OVERLAP_HOURS}::int)`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(leadUpdateCallbacks.id, row.id), eq(leadUpdateCallbacks.processId, row.processId)))
      .returning({ previousExpiresAt: leadUpdateCallbacks.previousSigningSecretExpiresAt });
    if (!rotated?.previousExpiresAt) {
      throw new AppError("not_found", messages.callbackGone);
    }
    await recordAudit(tx, audit, { action: "secret.rotated", ...callbackTarget(row) });
    return rotated.previousExpiresAt;
  });
  return { hint, previousExpiresAt: previousExpiresAt.toISOString() };
}
