import { z } from "zod/mini";
import { callbackLabel } from "../callback-label";
import {
  type CallbackInput,
  callbackIdentity,
  createCallbackSchema,
  emptyCallback,
  MAX_CALLBACKS,
  type UrlRuleOptions,
} from "./callback";
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
        const names = new Map<string, number>();
        settings.callbacks.forEach((cb, index) => {
          // Names are told apart as people read them: "CRM Sync" and "crm sync" are the same name, and so
          // are two spellings of one character (composed or not).
          const name = cb.name?.normalize("NFKC").toLocaleLowerCase("en-US");
          if (name) {
            if (names.has(name)) {
              ctx.addIssue({
                code: "custom",
                path: ["callbacks", index, "name"],
                message: "Another callback of this process already has this name",
              });
            } else names.set(name, index);
          }
          if (cb.url === "") return;
          const identity = callbackIdentity(cb);
          const first = seen.get(identity);
          if (first === undefined) {
            seen.set(identity, index);
            return;
          }
          const label = callbackLabel({ name: settings.callbacks[first]?.name, position: first });
          ctx.addIssue({
            code: "custom",
            path: ["callbacks", index, "url"],
            message: `${label} already sends to this URL with the same authentication`,
          });
        });
      }),
    );
}

export type ProcessSettingsSchema = ReturnType<typeof createProcessSettingsSchema>;
export type ProcessSettingsInput = z.input<ProcessSettingsSchema>;
export type ProcessSettingsValues = z.output<ProcessSettingsSchema>;

type ParseResult = { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } };

/** How far the person editing got, which decides the problems the form shows (and the badge counts). */
export type ProblemVisibility = {
  /** The callbacks as the form holds them now. */
  callbacks: readonly CallbackInput[];
  /** Save was tried: every problem shows. */
  submitted: boolean;
};

const fresh: Record<string, unknown> = emptyCallback();

function isShown(path: readonly PropertyKey[], visibility: ProblemVisibility | undefined): boolean {
  if (!visibility || visibility.submitted) return true;
  const [, index, field] = path;
  const cb = typeof index === "number" ? (visibility.callbacks[index] as Record<string, unknown>) : null;
  // Stored callbacks (loaded from the server) show their problems at once; so does anything unexpected.
  if (!cb || cb.id || typeof field !== "string") return true;
  // Changed, not merely left: an empty new field does not turn red when the focus passes through it,
  // which would also move the page under the pointer of someone clicking the next control; nor when
  // choosing Bearer Token brings up an empty Token field nobody has had a chance to fill yet.
  return cb[field] !== fresh[field];
}

/**
 * The callback problems the form shows, by field path ("callbacks.0.url"), and so the ones the Advanced
 * Settings badge counts: the two always agree. A new callback's field shows its problem once that field
 * was changed, every problem shows after Save is tried, and a stored callback's show at once. Without `visibility`, every problem counts. Errors the
 * server reported (react-hook-form errors of type "server", such as a host resolving to a private
 * address) show until an edit clears them, in place of the schema's message for that field.
 */
export function callbackProblems(
  parsed: ParseResult,
  formErrors?: { callbacks?: unknown },
  visibility?: ProblemVisibility,
): Map<string, string> {
  const problems = new Map<string, string>();
  for (const issue of parsed.error?.issues ?? []) {
    if (issue.path[0] !== "callbacks" || !isShown(issue.path, visibility)) continue;
    const path = issue.path.map(String).join(".");
    if (!problems.has(path)) problems.set(path, issue.message);
  }
  const walk = (node: unknown, prefix: string) => {
    if (!node || typeof node !== "object") return;
    const entry = node as { type?: unknown; message?: unknown };
    if (entry.type === "server" && typeof entry.message === "string") problems.set(prefix, entry.message);
    for (const [key, child] of Object.entries(node)) {
      if (key !== "ref" && typeof child === "object") walk(child, `${prefix}.${key}`);
    }
  };
  walk(formErrors?.callbacks, "callbacks");
  return problems;
}

/** How many callback fields show a problem (the Advanced Settings badge); see callbackProblems. */
export function countCallbackErrors(
  parsed: ParseResult,
  formErrors?: { callbacks?: unknown },
  visibility?: ProblemVisibility,
): number {
  return callbackProblems(parsed, formErrors, visibility).size;
}
