import { formatDateTime } from "@/lib/format-date";

/** A point in time in the app's one format ("Nov 24, 2026, 12:44 PM UTC"), machine-readable too. */
export function DateTime({
  value,
  className,
  seconds,
}: {
  value: Date | string;
  className?: string;
  /** Down to the second ("3:18:05 PM"), where moments seconds apart must read apart. */
  seconds?: boolean;
}) {
  const date = typeof value === "string" ? new Date(value) : value;
  const iso = date.toISOString();
  return (
    <time dateTime={iso} title={iso} className={className}>
      {formatDateTime(date, { seconds })}
    </time>
  );
}
