import "server-only";
import { type ActionResult, AppError } from "./errors";
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
