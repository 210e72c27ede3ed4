import { plural } from "@/lib/plural";
import type { HourlyBucket } from "./types";

/** Deliveries per hour over the last 24 hours, coloured by how many were delivered (retries included). */
export function SuccessChart({ hourly, now = new Date() }: { hourly: HourlyBucket[]; now?: Date }) {
  const byHour = new Map(hourly.map((b) => [new Date(b.hour).getTime(), b]));
  const currentHour = Math.floor(now.getTime() / 3_600_000) * 3_600_000;
  const buckets = Array.from({ length: 24 }, (_, i) => {
    const at = currentHour - (23 - i) * 3_600_000;
    return byHour.get(at) ?? { hour: new Date(at).toISOString(), total: 0, succeeded: 0 };
  });
  const total = buckets.reduce((n, b) => n + b.total, 0);
  const succeeded = buckets.reduce((n, b) => n + b.succeeded, 0);
  const max = Math.max(1, ...buckets.map((b) => b.total));
  const summary = total
    ? `${Math.round((succeeded / total) * 100)}% of ${plural(total, "delivery", "deliveries")} succeeded in the last 24 hours`
    : "No deliveries in the last 24 hours";

  return (
    <figure className="space-y-1">
      <svg
        viewBox="0 0 240 40"
        className="h-10 w-full max-w-md"
        aria-hidden="true"
        preserveAspectRatio="none"
      >
        {buckets.map((b, i) => {
          const height = b.total ? Math.max(3, (b.total / max) * 38) : 1;
          const rate = b.total ? b.succeeded / b.total : 1;
          const fill = !b.total ? "#e2e8f0" : rate === 1 ? "#10b981" : rate >= 0.5 ? "#f59e0b" : "#ef4444";
          return (
            <rect key={b.hour} x={i * 10 + 1} y={40 - height} width={8} height={height} rx={1} fill={fill} />
          );
        })}
      </svg>
      <figcaption className="text-xs text-slate-600">{summary}</figcaption>
    </figure>
  );
}
