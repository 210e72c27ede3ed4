"use client";

import { createContext, type ReactNode, useContext } from "react";
import { type CallbackHealth, healthLine } from "@/lib/callback-health";
import { DateTime } from "../ui/date-time";

const CallbackHealthContext = createContext<Record<string, CallbackHealth>>({});

/** Each stored callback's health, by id, as the page loaded it, for the callback blocks below. */
export function CallbackHealthProvider({
  health,
  children,
}: {
  health: Record<string, CallbackHealth>;
  children: ReactNode;
}) {
  return <CallbackHealthContext value={health}>{children}</CallbackHealthContext>;
}

/** A stored callback's health; undefined for a new one. */
export function useCallbackHealth(callbackId: string | null | undefined): CallbackHealth | undefined {
  const health = useContext(CallbackHealthContext);
  return callbackId ? health[callbackId] : undefined;
}

/**
 * Whether the block shows that leadhook turned the callback off: while the form still has it off (once
 * an admin switches it back on, the notice has done its job).
 */
export function showsAutoDisabled(health: CallbackHealth | undefined, enabledInForm: boolean | undefined) {
  return Boolean(health?.disabledAt && !health.enabled && enabledInForm === false);
}

/** Why and when leadhook turned the callback off, shown whether the block is expanded or not. */
export function AutoDisabledNotice({ health }: { health: CallbackHealth }) {
  if (!health.disabledAt) return null;
  return (
    <div role="note" className="space-y-1 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
      <p className="font-medium">
        Turned off automatically on <DateTime value={health.disabledAt} />.
      </p>
      <p>
        {health.disabledReason} Fix the endpoint, then switch Enabled back on and save to resume deliveries.
      </p>
    </div>
  );
}

/** "24 h: 98% succeeded · median 120 ms · last success … · 3 failures in a row". */
export function CallbackHealthLine({ health }: { health: CallbackHealth }) {
  return (
    <p className="text-sm text-slate-600" data-testid="callback-health">
      {healthLine(health)}
    </p>
  );
}
