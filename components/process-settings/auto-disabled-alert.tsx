import type { CallbackHealth } from "@/lib/callback-health";
import { DateTime } from "../ui/date-time";

/**
 * At the top of the process page: which callbacks leadhook turned off, when and why, so it is seen
 * before Advanced Settings is opened. Nothing when none is off.
 */
export function AutoDisabledAlert({ health, order }: { health: CallbackHealth[]; order: string[] }) {
  const off = health.filter((h) => !h.enabled && h.disabledAt);
  if (!off.length) return null;
  return (
    <section
      aria-label="Callbacks turned off automatically"
      className="space-y-1 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900"
    >
      {off.map((h) => (
        <p key={h.callbackId}>
          <span className="font-medium">
            Callback {order.indexOf(h.callbackId) + 1} was turned off automatically on{" "}
            <DateTime value={h.disabledAt as string} />.
          </span>{" "}
          {h.disabledReason}
        </p>
      ))}
      <p>Fix the endpoint, then switch Enabled back on under Advanced Settings and save.</p>
    </section>
  );
}
