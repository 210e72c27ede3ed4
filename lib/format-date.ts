const dateTimeFormat = new Intl.DateTimeFormat("en", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

const withSecondsFormat = new Intl.DateTimeFormat("en", {
  dateStyle: "medium",
  timeStyle: "medium",
  timeZone: "UTC",
});

/**
 * A point in time as every page shows it: "Nov 24, 2026, 12:44 PM UTC"; with `seconds`, "Nov 24, 2026,
 * 12:44:05 PM UTC" (where events seconds apart must read apart: attempts, an event's times). Always UTC,
 * so the server's render and the browser's agree, and the zone is always said. Takes a Date or an ISO
 * 8601 string.
 */
export function formatDateTime(value: Date | string, options: { seconds?: boolean } = {}): string {
  const date = typeof value === "string" ? new Date(value) : value;
  const format = options.seconds ? withSecondsFormat : dateTimeFormat;
  // ICU versions differ on the space before AM/PM (U+202F or U+0020): one plain space everywhere.
  return `${format.format(date).replace(/[\u202f\u00a0]/g, " ")} UTC`;
}
