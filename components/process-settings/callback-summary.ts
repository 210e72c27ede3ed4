import type { CallbackInput } from "@/lib/validations/callback";

const formatLabels = { activity_update: "Activity Update", full_lead: "Full Lead" } as const;
const authLabels = {
  none: "No authentication",
  bearer: "Bearer Token",
  custom_header: "Custom Auth Header",
} as const;

/** A collapsed callback in one line: URL, payload format, authentication, enabled or disabled. */
export function callbackSummary(cb: Partial<CallbackInput> | undefined): string {
  return [
    cb?.url?.trim() || "No URL yet",
    formatLabels[cb?.payloadFormat ?? "activity_update"],
    authLabels[cb?.authType ?? "none"],
    cb?.enabled === false ? "Disabled" : "Enabled",
  ].join(" · ");
}

/**
 * Whether a callback starts expanded: new ones and ones with problems do; stored valid ones start
 * collapsed when the process has more than 3, so ten callbacks do not make one very long form.
 */
export function startsExpanded(cb: { stored: boolean; problems: number; callbacks: number }): boolean {
  return !cb.stored || cb.problems > 0 || cb.callbacks <= 3;
}
