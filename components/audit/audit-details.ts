import { auditActions, isAuditAction } from "@/lib/audit";

/** What a top-level `{ from, to }` describes, by action ("role: admin → viewer"). */
const changeSubject: Record<string, string> = {
  "member.role_changed": "role",
  "workspace.renamed": "name",
  "process.archived": "status",
};

/** The label the page shows for an action; an action this version does not know is shown as stored. */
export function actionLabel(action: string): string {
  return isAuditAction(action) ? auditActions[action] : action;
}

/** "payloadFormat" -> "payload format". */
function keyLabel(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase();
}

function isChange(value: unknown): value is { from?: unknown; to?: unknown } {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k === "from" || k === "to");
}

function valueText(value: unknown): string {
  if (value === null || value === undefined || value === "") return "none";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string" || typeof value === "number") return String(value);
  if (Array.isArray(value)) return value.length ? value.map(valueText).join(", ") : "none";
  if (isChange(value)) {
    return "to" in value
      ? `${valueText(value.from)} → ${valueText(value.to)}`
      : `was ${valueText(value.from)}`;
  }
  return JSON.stringify(value);
}

/**
 * An entry's details as short readable parts: `{ fields: ["Lead Update URL", "Bearer Token"] }` gives
 * "fields: Lead Update URL, Bearer Token"; a member.role_changed `{ from, to }` gives "role: admin → viewer".
 */
export function detailParts(action: string, details: Record<string, unknown> | null | undefined): string[] {
  if (!details || typeof details !== "object") return [];
  const { from, to, ...rest } = details;
  const parts: string[] = [];
  if (from !== undefined || to !== undefined) {
    const change = to === undefined ? { from } : { from, to };
    parts.push(`${changeSubject[action] ?? "change"}: ${valueText(change)}`);
  }
  for (const [key, value] of Object.entries(rest)) parts.push(`${keyLabel(key)}: ${valueText(value)}`);
  return parts;
}

/**
 * An IP address as short as it is written by hand: an IPv6 address stored in full
 * ("0000:0000:0000:0000:0000:0000:0000:0001") loses its leading zeros and its longest run of zero groups
 * ("::1"). Anything else is returned as it is.
 */
export function compactAddress(address: string): string {
  const groups = address.split(":");
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return address;
  const short = groups.map((g) => g.replace(/^0+(?=.)/, "").toLowerCase());
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    let end = i;
    while (end < 8 && short[end] === "0") end++;
    if (end - i > best.length) best = { start: i, length: end - i };
    i = end === i ? i + 1 : end;
  }
  if (best.start === -1) return short.join(":");
  const head = short.slice(0, best.start).join(":");
  const tail = short.slice(best.start + best.length).join(":");
  return `${head}::${tail}`;
}
