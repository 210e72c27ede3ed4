import Link from "next/link";
import { Fragment } from "react";
import { type AutoDisabledCallback, autoDisabledGroups } from "@/lib/callback-health";
import { callbackLabel } from "@/lib/callback-label";

/**
 * The Processes list's banner while leadhook has turned off callbacks of the workspace: "2 callbacks
 * were turned off because every delivery failed for 3 days: Process A (Callback 1), Process B
 * (Callback 2). Fix the endpoint, then switch Enabled back on." Each callback links to its process.
 */
export function AutoDisabledBanner({
  callbacks,
  period,
}: {
  callbacks: AutoDisabledCallback[];
  /** CALLBACK_DISABLE_AFTER in words ("3 days"). */
  period: string;
}) {
  const groups = autoDisabledGroups(callbacks, period);
  if (!groups.length) return null;
  return (
    <section
      aria-label="Callbacks turned off automatically"
      className="space-y-1 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900"
    >
      {groups.map((group) => (
        <p key={group.lead}>
          {group.lead}{" "}
          {group.callbacks.map((cb, i) => (
            <Fragment key={`${cb.processId}-${cb.position}`}>
              {i > 0 ? ", " : null}
              <Link href={`/processes/${cb.processId}`} className="font-medium underline">
                {cb.processName} ({callbackLabel(cb)})
              </Link>
            </Fragment>
          ))}
          .
        </p>
      ))}
      <p>Fix the endpoint, then switch Enabled back on.</p>
    </section>
  );
}
