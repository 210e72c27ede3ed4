import { AppError } from "../errors";
import { logger } from "../logger";

/** A JSON response with `Cache-Control: no-store`. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
}

/**
 * Maps any error to the JSON error body; unexpected errors become 503 without internals. The log line
 * names the underlying error (the driver's, with its code), never a query builder's wrapper, whose
 * message carries the SQL and its parameters (event bodies, key hashes). A busy database (requests queued
 * for a connection, or none free in time) is one short warning and `Retry-After: 1`.
 */
export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    const headers: Record<string, string> =
      error.code === "unauthorized" ? { "www-authenticate": "Bearer" } : {};
    return json(error.toJSON(), error.status, headers);
  }
  const cause = rootCause(error);
  const busy =
    (cause as { code?: unknown }).code === "LEADHOOK_DATABASE_BUSY" ||
    /timeout exceeded when trying to connect/.test(String((cause as Error).message));
  if (busy) logger.warn({ reason: String((cause as Error).message) }, "database busy: answered 503");
  else logger.error({ err: cause }, "request failed");
  return json(
    {
      error: {
        code: "unavailable",
        message: "The service is unavailable right now; retry with the same event ids.",
      },
    },
    503,
    { "retry-after": busy ? "1" : "5" },
  );
}

/** The innermost error of a chain of causes (at most five deep). */
function rootCause(error: unknown): unknown {
  let e = error;
  for (let i = 0; i < 5 && e && typeof e === "object" && (e as { cause?: unknown }).cause; i++) {
    e = (e as { cause: unknown }).cause;
  }
  return e;
}
