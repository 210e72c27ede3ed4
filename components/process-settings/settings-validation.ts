import { zodResolver } from "@hookform/resolvers/zod";
import type { FieldErrors } from "react-hook-form";
import type { UrlRuleOptions } from "@/lib/validations/callback";
import {
  countCallbackErrors,
  createProcessSettingsSchema,
  type ProcessSettingsInput,
} from "@/lib/validations/process";

/** The settings form's resolver and error count from the shared schema, in a chunk of their own. */
export function createSettingsValidation(options: UrlRuleOptions) {
  const schema = createProcessSettingsSchema(options);
  return {
    resolver: zodResolver(schema),
    countErrors: (values: ProcessSettingsInput, errors: FieldErrors<ProcessSettingsInput>) =>
      countCallbackErrors(schema.safeParse(values), errors),
  };
}

export type SettingsValidation = ReturnType<typeof createSettingsValidation>;
