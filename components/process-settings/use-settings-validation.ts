import { useCallback, useRef, useState } from "react";
import type { Resolver } from "react-hook-form";
import type { ProcessSettingsInput, ProcessSettingsValues } from "@/lib/validations/process";
import type { SettingsValidation } from "./settings-validation";

/**
 * The settings form's validation (zod and the shared schema), fetched when it is first needed: on focus
 * inside the form, on opening Advanced Settings or on the first validation. Until then `problems` is
 * undefined and the form shows the count the page computed on the server. A failed fetch is retried on
 * the next call.
 */
export function useSettingsValidation(allowPrivateUrls: boolean) {
  const loading = useRef<Promise<SettingsValidation> | null>(null);
  const [validation, setValidation] = useState<SettingsValidation | null>(null);

  const load = useCallback(() => {
    loading.current ??= import("./settings-validation").then(
      ({ createSettingsValidation }) => {
        const loaded = createSettingsValidation({ allowPrivateUrls });
        setValidation(loaded);
        return loaded;
      },
      (error: unknown) => {
        loading.current = null;
        throw error;
      },
    );
    return loading.current;
  }, [allowPrivateUrls]);

  const resolver = useCallback<Resolver<ProcessSettingsInput, unknown, ProcessSettingsValues>>(
    async (values, context, options) => (await load()).resolver(values, context, options),
    [load],
  );

  return { problems: validation?.problems, resolver, load };
}
