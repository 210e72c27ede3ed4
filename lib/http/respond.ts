import { AppError } from "../errors";
import { logger } from "../logger";

/** A JSON response with `Cache-Control: no-store`. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
}

/** Maps any error to the JSON error body; unexpected errors become 503 without internals. */
export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    const headers: Record<string, string> =
      error.code === "unauthorized" ? { "www-authenticate": "Bearer" } : {};
    return json(error.toJSON(), error.status, headers);
  }
  logger.error({ err: error }, "request failed");
  return json(
    {
      error: {
        code: "unavailable",
        message: "The service is unavailable right now; retry with the same event ids.",
      },
    },
    503,
    { "retry-after": "5" },
  );
}
