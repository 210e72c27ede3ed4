import { json } from "@/lib/http/respond";
import { buildOpenApiDocument } from "@/lib/openapi";

export const dynamic = "force-static";

/** GET /api/openapi.json: the ingest contract, generated from the zod schemas. */
export function GET(): Response {
  return json(buildOpenApiDocument());
}
