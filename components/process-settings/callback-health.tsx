"use client";

import { createContext, type ReactNode, useCallback, useContext, useState } from "react";
import { type CallbackHealth, healthLine } from "@/lib/callback-health";
import { DateTime } from "../ui/date-time";

type HealthState = {
  health: Record<string, CallbackHealth>;
  update: (health: CallbackHealth) => void;
};
const CallbackHealthContext = createContext<HealthState>({ health: {}, update: () => {} });

/**
 * Each stored callback's health, by id, for the callback blocks below: as the page loaded it, then as each
 * block's delivery list refreshes it (so the header never contradicts the list under it); a new render
 * of the page (after a save) starts again from what it loaded.
 */
export function CallbackHealthProvider({
  health: loaded,
  children,
}: {
  health: Record<string, CallbackHealth>;
  children: ReactNode;
}) {
  const [state, setState] = useState({ loaded, health: loaded });
  if (state.loaded !== loaded) setState({ loaded, health: loaded });
  const update = useCallback(
    (health: CallbackHealth) =>
      setState((s) => ({ ...s, health: { ...s.health, [health.callbackId]: health } })),
    [],
  );
  return <CallbackHealthContext value={{ health: state.health, update }}>{children}</CallbackHealthContext>;
}

/** A stored callback's health; undefined for a new one. */
export function useCallbackHealth(callbackId: string | null | undefined): CallbackHealth | undefined {
  const { health } = useContext(CallbackHealthContext);
  return callbackId ? health[callbackId] : undefined;
}

/** Records a refreshed health (the delivery list's). */
export function useUpdateCallbackHealth(): (health: CallbackHealth) => void {
  return useContext(CallbackHealthContext).update;
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
