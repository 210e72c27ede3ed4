import "server-only";
import { type ActionResult, AppError, messages, toFieldErrors } from "./errors";
import { logger } from "./logger";

/**
 * Runs a server action's work and turns the outcome into an ActionResult: an AppError keeps its code,
 * message and field errors; anything else is logged and reported without internals.
 */
export async function runAction<T extends object>(work: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, ...(await work()) };
  } catch (error) {
    if (error instanceof AppError) {
      return { ok: false, code: error.code, message: error.message, fieldErrors: error.fieldErrors ?? {} };
    }
    logger.error({ err: error }, "server action failed");
    return {
      ok: false,
      code: "unavailable",
      message: "Something went wrong on our side; nothing was saved. Try again in a moment.",
      fieldErrors: {},
    };
  }
}

/** What parseInput needs of a schema: zod's and zod/mini's both have it. */
type InputSchema<T> = {
  safeParse(
    input: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
};

/**
 * A server action's input parsed with the schema its form uses, or an `invalid_request` AppError whose
 * field errors the form shows beside each field (and `message` above them).
 */
export function parseInput<T>(
  schema: InputSchema<T>,
  input: unknown,
  message: string = messages.fixErrors,
): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("invalid_request", message, { fieldErrors: toFieldErrors(parsed.error.issues) });
  }
  return parsed.data;
}
