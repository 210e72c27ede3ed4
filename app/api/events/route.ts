import { after } from "next/server";
import { authenticateApiKey } from "@/db/queries/api-keys";
import { ingestEvents } from "@/db/queries/events";
import { handOffBatched } from "@/delivery/outbox";
import { bearerFrom, hashApiKey, isWellFormedApiKey, unknownApiKeyError } from "@/lib/api-keys";
import { AppError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/read-json";
import { errorResponse, json } from "@/lib/http/respond";
import { formatIssuePath, parseIngestBody } from "@/lib/validations/event";

export const dynamic = "force-dynamic";

/**
 * POST /api/events: one lead-update event, or `{ "events": [...] }` with up to 100. Stored durably
 * (with the leads they update) in one database round trip that also checks the key, before the 202;
 * handed to Inngest for delivery after the response (the re-send function covers a process that dies
 * first).
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const presented = bearerFrom(request.headers.get("authorization"));
    if (!presented)
      throw new AppError("unauthorized", "Send your ingest key as Authorization: Bearer lh_...");
    if (!isWellFormedApiKey(presented)) throw unknownApiKeyError();

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
      const issues = parsed.issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message }));
      const first = issues[0];
      return json(
        {
          error: {
            code: "invalid_request",
            message: first ? `${first.path || "body"}: ${first.message}` : "The body is not a valid event",
            issues,
          },
        },
        400,
      );
    }
    const stored = await ingestEvents(hashApiKey(presented), parsed.events);
    const ids = stored.accepted.map((e) => e.id);
    if (ids.length) after(() => handOffBatched(ids));
    return json({ accepted: stored.accepted.map((e) => e.externalId), duplicates: stored.duplicates }, 202);
  } catch (error) {
    return errorResponse(error);
  }
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
