import { getEnv } from "@/lib/env";
import { json } from "@/lib/http/respond";
import { buildOpenApiDocument } from "@/lib/openapi";

// The retry schedule it states is this server's (DELIVERY_RETRY_SCHEDULE), read when asked.
export const dynamic = "force-dynamic";

/** GET /api/openapi.json: the ingest contract, generated from the zod schemas. */
export function GET(): Response {
  return json(buildOpenApiDocument(undefined, getEnv().DELIVERY_RETRY_SCHEDULE));
}
