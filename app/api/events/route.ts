import { authenticateApiKey } from "@/db/queries/api-keys";
import { storeEvents } from "@/db/queries/events";
import { handOffBatched } from "@/inngest/handoff";
import { bearerFrom } from "@/lib/api-keys";
import { AppError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/read-json";
import { errorResponse, json } from "@/lib/http/respond";
import { formatIssuePath, parseIngestBody } from "@/lib/validations/event";

export const dynamic = "force-dynamic";

/**
 * POST /api/events: one lead-update event, or `{ "events": [...] }` with up to 100. Stored durably
 * (with the leads they update) before the 202; then handed to Inngest for delivery.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const presented = bearerFrom(request.headers.get("authorization"));
    if (!presented)
      throw new AppError("unauthorized", "Send your ingest key as Authorization: Bearer lh_...");
    const key = await authenticateApiKey(presented);
    if (!key) throw new AppError("unauthorized", "This ingest key is unknown or revoked");

    const parsed = parseIngestBody(await readJsonBody(request));
    if (!parsed.success) {
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
    const stored = await storeEvents(key.workspaceId, parsed.events);
    await handOffBatched(stored.accepted.map((e) => e.id));
    return json({ accepted: stored.accepted.map((e) => e.externalId), duplicates: stored.duplicates }, 202);
  } catch (error) {
    return errorResponse(error);
  }
}
