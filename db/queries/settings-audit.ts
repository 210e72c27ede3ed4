import { callbackLabelWithUrl } from "@/lib/callback-label";
import type { CallbackValues } from "@/lib/validations/callback";
import type { ProcessSettingsValues } from "@/lib/validations/process";
import type { LeadUpdateCallback, Process } from "../schema";
import type { AuditRecord } from "./audit-log";

const processFields = ["name", "description", "language", "status"] as const;

/** What a settings save changed about the process itself: names of fields, never values of secrets. */
export function processChanges(before: Process, after: ProcessSettingsValues): AuditRecord[] {
  const target = { targetType: "process", targetId: before.id, targetLabel: after.name };
  const changed = processFields.filter((field) => before[field] !== after[field]);
  const records: AuditRecord[] = [];
  if (changed.includes("status") && after.status === "archived") {
    records.push({ action: "process.archived", ...target, details: { from: before.status } });
  }
  const rest = changed.filter((f) => !(f === "status" && after.status === "archived"));
  if (rest.length) {
    const details: Record<string, unknown> = { fields: rest };
    if (rest.includes("name")) details.name = { from: before.name, to: after.name };
    if (rest.includes("status")) details.status = { from: before.status, to: after.status };
    records.push({ action: "process.changed", ...target, details });
  }
  return records;
}

/** One callback's row before a save against its values after: which fields changed, by name. */
export function callbackChanges(
  position: number,
  before: LeadUpdateCallback | undefined,
  after: CallbackValues,
  id: string,
): AuditRecord[] {
  const target = {
    targetType: "callback",
    targetId: id,
    targetLabel: callbackLabelWithUrl({ name: after.name, position, url: after.url }),
  };
  if (!before) {
    return [
      {
        action: "callback.added",
        ...target,
        details: {
          ...(after.name ? { name: after.name } : {}),
          payloadFormat: after.payloadFormat,
          authType: after.authType,
          enabled: after.enabled,
        },
      },
    ];
  }
  const fields: string[] = [];
  const nameBefore = before.name ?? "";
  const nameAfter = after.name ?? "";
  if (nameBefore !== nameAfter) fields.push("Name");
  if (before.url !== after.url) fields.push("Lead Update URL");
  if (before.payloadFormat !== after.payloadFormat) fields.push("Payload Format");
  if (before.requiresWhitelisting !== after.requiresWhitelisting)
    fields.push("Requires source to be whitelisted");
  if (before.authType !== after.authType) fields.push("Authentication");
  if (after.authType === "bearer" && after.bearerToken) fields.push("Bearer Token");
  if (after.authType === "custom_header") {
    if ((before.authHeaderKey ?? "") !== after.authHeaderKey) fields.push("Auth Key");
    if (after.authHeaderValue) fields.push("Auth Value");
  }
  const records: AuditRecord[] = [];
  if (fields.length) {
    const details: Record<string, unknown> = { fields };
    if (nameBefore !== nameAfter) details.name = { from: nameBefore || null, to: nameAfter || null };
    if (before.url !== after.url) details.url = { from: before.url, to: after.url };
    records.push({ action: "callback.changed", ...target, details });
  }
  if (before.enabled !== after.enabled) {
    records.push({ action: after.enabled ? "callback.enabled" : "callback.disabled", ...target });
  }
  return records;
}

export function callbackRemoved(row: LeadUpdateCallback): AuditRecord {
  return {
    action: "callback.removed",
    targetType: "callback",
    targetId: row.id,
    targetLabel: callbackLabelWithUrl(row),
  };
}
