"use client";

import { createContext, useContext } from "react";

/** What the callback blocks need from the settings form beyond its values. */
export type CallbackFormState = {
  /** The problems the form shows, by field path ("callbacks.0.url"); null until validation has loaded. */
  problems: ReadonlyMap<string, string> | null;
  /** Whether whitelisted callbacks can be delivered: deliveries leave through a static egress proxy. */
  staticEgress: boolean;
};

export const CallbackFormStateContext = createContext<CallbackFormState>({
  problems: null,
  staticEgress: true,
});

export function useCallbackFormState(): CallbackFormState {
  return useContext(CallbackFormStateContext);
}

/** The problems Callback N shows, by field, with how many there are (its summary's badge). */
export function useCallbackProblems(index: number) {
  const { problems } = useCallbackFormState();
  const prefix = `callbacks.${index}`;
  const at = (field: string) => problems?.get(`${prefix}.${field}`);
  let count = 0;
  for (const path of problems?.keys() ?? []) {
    if (path === prefix || path.startsWith(`${prefix}.`)) count++;
  }
  return {
    name: at("name"),
    url: at("url"),
    bearerToken: at("bearerToken"),
    authHeaderKey: at("authHeaderKey"),
    authHeaderValue: at("authHeaderValue"),
    /** A problem with the callback as a whole, as a server may report one. */
    block: problems?.get(prefix) ?? at("root"),
    count,
  };
}
