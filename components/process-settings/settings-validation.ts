import { zodResolver } from "@hookform/resolvers/zod";
import type { FieldErrors } from "react-hook-form";
import type { UrlRuleOptions } from "@/lib/validations/callback";
import {
  callbackProblems,
  createProcessSettingsSchema,
  type ProblemVisibility,
  type ProcessSettingsInput,
} from "@/lib/validations/process";

/** The settings form's resolver and shown problems from the shared schema, in a chunk of their own. */
export function createSettingsValidation(options: UrlRuleOptions) {
  const schema = createProcessSettingsSchema(options);
  return {
    resolver: zodResolver(schema),
    problems: (
      values: ProcessSettingsInput,
      errors: FieldErrors<ProcessSettingsInput>,
      visibility: ProblemVisibility,
    ) => callbackProblems(schema.safeParse(values), errors, visibility),
  };
}

export type SettingsValidation = ReturnType<typeof createSettingsValidation>;
