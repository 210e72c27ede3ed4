import { formatDateTime } from "@/lib/format-date";

/**
 * A point in time in the app's one format ("Nov 24, 2026, 12:44 PM UTC"), machine-readable too. Where it
 * must wrap, it wraps between the date and the time, never inside either.
 */
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
  const text = formatDateTime(date, { seconds });
  const split = text.lastIndexOf(", ");
  return (
    <time dateTime={iso} title={iso} className={className}>
      {split === -1 ? (
        text
      ) : (
        <>
          <span className="whitespace-nowrap">{text.slice(0, split + 1)}</span>{" "}
          <span className="whitespace-nowrap">{text.slice(split + 2)}</span>
        </>
      )}
    </time>
  );
}
