import { after } from "next/server";
import { requestOrigin } from "@/auth/request-info";
import { assertDatabaseNotBusy } from "@/db/index";
import { authenticateApiKey, mayBeIssuedKey } from "@/db/queries/api-keys";
import { ingestEvents } from "@/db/queries/events";
import { handOffBatched } from "@/delivery/runtime";
import { BAD_KEY_ATTEMPTS_PER_MINUTE, bearerFrom, hashApiKey, unknownApiKeyError } from "@/lib/api-keys";
import { AppError } from "@/lib/errors";
import { createFailureLimiter } from "@/lib/http/failure-limiter";
import { readJsonBody } from "@/lib/http/read-json";
import { errorResponse, json } from "@/lib/http/respond";
import { formatIssuePath, parseIngestBody } from "@/lib/validations/event";

export const dynamic = "force-dynamic";

// Bad keys per client address, in this server's memory: a flood of forged keys is held back here, before
// any parsing or database work, and never takes a real producer's connections.
const badKeys = createFailureLimiter({ limit: BAD_KEY_ATTEMPTS_PER_MINUTE, windowMs: 60_000 });

/**
 * POST /api/events: one lead-update event, or `{ "events": [...] }` with up to 100. Stored durably
 * (with the leads they update) in one database round trip that also checks the key, before the 202;
 * handed to the delivery engine after the response (the re-send covers a process that dies first).
 * A key leadhook cannot have issued is refused without a query; an address that sent
 * BAD_KEY_ATTEMPTS_PER_MINUTE bad keys is answered 429 until its minute is over.
 */
export async function POST(request: Request): Promise<Response> {
  const address = requestOrigin(request.headers).ipAddress ?? "unknown";
  const heldMs = badKeys.heldFor(address);
  if (heldMs > 0) {
    const seconds = Math.ceil(heldMs / 1000);
    const error = new AppError(
      "too_many_requests",
      `Too many requests with a missing, unknown or revoked key from this address: retry in ${seconds} s.`,
    );
    return json(error.toJSON(), error.status, { "retry-after": String(seconds) });
  }
  try {
    const presented = bearerFrom(request.headers.get("authorization"));
    if (!presented)
      throw new AppError("unauthorized", "Send your ingest key as Authorization: Bearer lh_...");
    if (!(await mayBeIssuedKey(presented))) throw unknownApiKeyError();
    await assertDatabaseNotBusy();

    let parsed: ReturnType<typeof parseIngestBody> | undefined;
    let unreadable: unknown;
    try {
      parsed = parseIngestBody(await readJsonBody(request));
    } catch (error) {
      unreadable = error;
    }
    if (!parsed?.success) {
      // A bad key is reported before a bad body, as if the key had been checked first.
      if (!(await authenticateApiKey(presented))) throw unknownApiKeyError();
      if (!parsed) throw unreadable;
      throw invalidEvents(parsed.issues);
    }
    const stored = await ingestEvents(hashApiKey(presented), parsed.events);
    const ids = stored.accepted.map((e) => e.id);
    if (ids.length) after(() => handOffBatched(ids));
    return json({ accepted: stored.accepted.map((e) => e.externalId), duplicates: stored.duplicates }, 202);
  } catch (error) {
    if (error instanceof AppError && error.code === "unauthorized") badKeys.fail(address);
    return errorResponse(error);
  }
}

/**
 * The 400 for a body that is not valid events: the first problem in the message, and each field's first
 * problem in `issues` (path as the producer wrote it, e.g. `events[2].lead.phone`).
 */
function invalidEvents(issues: readonly { path: readonly PropertyKey[]; message: string }[]): AppError {
  const fieldErrors: Record<string, string> = {};
  for (const issue of issues) fieldErrors[formatIssuePath(issue.path)] ??= issue.message;
  const [path, message] = Object.entries(fieldErrors)[0] ?? [];
  return new AppError(
    "invalid_request",
    message === undefined ? "The body is not a valid event" : `${path || "body"}: ${message}`,
    { fieldErrors },
  );
}

/** Any other method: 405 with the JSON error body and `Allow: POST`, like every error of this API. */
function methodNotAllowed(): Response {
  const error = new AppError("method_not_allowed", "Send lead-update events with POST.");
  return json(error.toJSON(), error.status, { allow: "POST" });
}

export {
  methodNotAllowed as DELETE,
  methodNotAllowed as GET,
  methodNotAllowed as PATCH,
  methodNotAllowed as PUT,
};
