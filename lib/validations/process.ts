import { z } from "zod/mini";
import { callbackIdentity, createCallbackSchema, MAX_CALLBACKS, type UrlRuleOptions } from "./callback";
import { processStatuses } from "./process-status";

export { type ProcessStatus, processStatuses } from "./process-status";

export const processName = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, "Name is required"),
    z.maxLength(120, "Name must be at most 120 characters"),
  );

/** "New Process" on the Processes page. */
export const newProcessSchema = z.object({ name: processName });
export type NewProcessInput = z.input<typeof newProcessSchema>;

/** The process page: its details and its Lead Update Callbacks, saved together against one version. */
export function createProcessSettingsSchema(options: UrlRuleOptions) {
  return z
    .object({
      version: z.number().check(z.int(), z.positive()),
      name: processName,
      description: z
        .string()
        .check(z.trim(), z.maxLength(2000, "Description must be at most 2000 characters")),
      language: z
        .string()
        .check(
          z.trim(),
          z.minLength(1, "Language is required"),
          z.maxLength(60, "Language must be at most 60 characters"),
        ),
      status: z.enum(processStatuses),
      callbacks: z
        .array(createCallbackSchema(options))
        .check(z.maxLength(MAX_CALLBACKS, `A process can have at most ${MAX_CALLBACKS} callbacks`)),
    })
    .check(
      z.superRefine((settings, ctx) => {
        const seen = new Map<string, number>();
        settings.callbacks.forEach((cb, index) => {
          if (cb.url === "") return;
          const identity = callbackIdentity(cb);
          const first = seen.get(identity);
          if (first === undefined) {
            seen.set(identity, index);
            return;
          }
          ctx.addIssue({
            code: "custom",
            path: ["callbacks", index, "url"],
            message: `Callback ${first + 1} already sends to this URL with the same authentication`,
          });
        });
      }),
    );
}

export type ProcessSettingsSchema = ReturnType<typeof createProcessSettingsSchema>;
export type ProcessSettingsInput = z.input<ProcessSettingsSchema>;
export type ProcessSettingsValues = z.output<ProcessSettingsSchema>;

type ParseResult = { success: boolean; error?: { issues: { path: PropertyKey[] }[] } };

/**
 * How many callback fields have a problem (the Advanced Settings badge): what the schema finds in the
 * values, plus errors the server reported (react-hook-form errors of type "server", such as a host
 * resolving to a private address) that no edit has cleared yet.
 */
export function countCallbackErrors(parsed: ParseResult, formErrors?: { callbacks?: unknown }): number {
  const paths = new Set<string>();
  for (const issue of parsed.error?.issues ?? []) {
    if (issue.path[0] === "callbacks") paths.add(issue.path.map(String).join("."));
  }
  const walk = (node: unknown, prefix: string) => {
    if (!node || typeof node !== "object") return;
    const entry = node as { type?: unknown; message?: unknown };
    if (entry.type === "server" && typeof entry.message === "string") paths.add(prefix);
    for (const [key, child] of Object.entries(node)) {
      if (key !== "ref" && typeof child === "object") walk(child, `${prefix}.${key}`);
    }
  };
  walk(formErrors?.callbacks, "callbacks");
  return paths.size;
}
