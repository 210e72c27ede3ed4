import type { CallbackHealth } from "@/lib/callback-health";
import { callbackLabel } from "@/lib/callback-label";
import { DateTime } from "../ui/date-time";

/**
 * At the top of the process page: which callbacks leadhook turned off, when and why, so it is seen
 * before Advanced Settings is opened. Nothing when none is off.
 */
export function AutoDisabledAlert({
  health,
  callbacks,
}: {
  health: CallbackHealth[];
  /** The process's callbacks in order, which name each one. */
  callbacks: { id: string | null; name?: string | null }[];
}) {
  const off = health.filter((h) => !h.enabled && h.disabledAt);
  if (!off.length) return null;
  const position = (h: CallbackHealth) => callbacks.findIndex((cb) => cb.id === h.callbackId);
  return (
    <section
      aria-label="Callbacks turned off automatically"
      className="space-y-1 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900"
    >
      {off.map((h) => (
        <p key={h.callbackId}>
          <span className="font-medium">
            {callbackLabel({ name: callbacks[position(h)]?.name, position: position(h) })} was turned off
            automatically on <DateTime value={h.disabledAt as string} />.
          </span>{" "}
          {h.disabledReason}
        </p>
      ))}
      <p>Fix the endpoint, then switch Enabled back on under Advanced Settings and save.</p>
    </section>
  );
}
