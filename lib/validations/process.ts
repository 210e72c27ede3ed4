import { z } from "zod";
import { callbackIdentity, createCallbackSchema, MAX_CALLBACKS, type UrlRuleOptions } from "./callback";

export const processStatuses = ["active", "paused", "archived"] as const;
export type ProcessStatus = (typeof processStatuses)[number];

export const processName = z
  .string()
  .trim()
  .min(1, "Name is required")
  .max(120, "Name must be at most 120 characters");

/** "New Process" on the Processes page. */
export const newProcessSchema = z.object({ name: processName });
export type NewProcessInput = z.input<typeof newProcessSchema>;

/** The process page: its details and its Lead Update Callbacks, saved together against one version. */
export function createProcessSettingsSchema(options: UrlRuleOptions) {
  return z
    .object({
      version: z.number().int().positive(),
      name: processName,
      description: z.string().trim().max(2000, "Description must be at most 2000 characters"),
      language: z
        .string()
        .trim()
        .min(1, "Language is required")
        .max(60, "Language must be at most 60 characters"),
      status: z.enum(processStatuses),
      callbacks: z
        .array(createCallbackSchema(options))
        .max(MAX_CALLBACKS, `A process can have at most ${MAX_CALLBACKS} callbacks`),
    })
    .superRefine((settings, ctx) => {
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
    });
}

export type ProcessSettingsSchema = ReturnType<typeof createProcessSettingsSchema>;
export type ProcessSettingsInput = z.input<ProcessSettingsSchema>;
export type ProcessSettingsValues = z.output<ProcessSettingsSchema>;
