import { type CallbackHealth, callbackState } from "@/lib/callback-health";
import { formatDateTime } from "@/lib/format-date";
import type { CallbackInput } from "@/lib/validations/callback";

const formatLabels = { activity_update: "Activity Update", full_lead: "Full Lead" } as const;
const authLabels = {
  none: "No authentication",
  bearer: "Bearer Token",
  custom_header: "Custom Auth Header",
} as const;

/**
 * A collapsed callback in one line: URL, payload format, authentication, and its state: Disabled (with
 * when, if leadhook turned it off), OK or Failing from its stored health, or Enabled when it has none
 * to tell (new, never attempted, or just switched back on in the form).
 */
export function callbackSummary(
  cb: Partial<CallbackInput> | undefined,
  health?: CallbackHealth,
  now = new Date(),
): string {
  return [
    cb?.url?.trim() || "No URL yet",
    formatLabels[cb?.payloadFormat ?? "activity_update"],
    authLabels[cb?.authType ?? "none"],
    stateLabel(cb?.enabled !== false, health, now),
  ].join(" · ");
}

function stateLabel(enabled: boolean, health: CallbackHealth | undefined, now: Date): string {
  if (!enabled) {
    return health?.disabledAt && !health.enabled
      ? `Disabled automatically ${formatDateTime(health.disabledAt)}`
      : "Disabled";
  }
  if (!health?.enabled) return "Enabled";
  if (!health.attempts && !health.lastSuccessAt && !health.consecutiveFailures) return "Enabled";
  return callbackState(health, now) === "failing" ? "Failing" : "OK";
}

/**
 * Whether a callback starts expanded: new ones and ones with problems do; stored valid ones start
 * collapsed when the process has more than 3, so ten callbacks do not make one very long form.
 */
export function startsExpanded(cb: { stored: boolean; problems: number; callbacks: number }): boolean {
  return !cb.stored || cb.problems > 0 || cb.callbacks <= 3;
}
