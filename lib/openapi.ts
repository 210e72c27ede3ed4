import { z } from "zod";
import pkg from "../package.json";
import { type ErrorCode, errorStatus } from "./errors";
import { eventBatchSchema, leadEventSchema, MAX_BATCH } from "./validations/event";
import { describeSchedule, type RetrySchedule } from "./webhooks/retry-schedule";

const schema = (s: z.ZodType) => {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return rest;
};

/** Codes only the admin side answers with (roles, optimistic saves); the ingest API answers with the rest. */
const adminOnlyCodes: ReadonlySet<ErrorCode> = new Set(["forbidden", "conflict"]);
const ingestErrorCodes = (Object.keys(errorStatus) as ErrorCode[]).filter(
  (code) => !adminOnlyCodes.has(code),
);

const errorBody = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", enum: ingestErrorCodes },
        message: { type: "string" },
        issues: {
          type: "array",
          items: {
            type: "object",
            required: ["path", "message"],
            properties: {
              path: { type: "string", examples: ["events[3].lead.phone"] },
              message: { type: "string" },
            },
          },
        },
      },
    },
  },
};

const error = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

/**
 * The ingest contract as OpenAPI 3.1, generated from the zod schemas the route validates with, so the
 * document and the server cannot disagree.
 */
export function buildOpenApiDocument(serverUrl?: string, retrySchedule?: RetrySchedule) {
  const retries = retrySchedule
    ? ` ${describeSchedule(retrySchedule)} A 429 or 503 with Retry-After is retried after that delay instead, up to 24 hours; 410 Gone turns the callback off.`
    : "";
  return {
    openapi: "3.1.0",
    info: {
      title: "leadhook ingest API",
      version: pkg.version,
      description:
        "Event producers (the calling engine) POST lead-update events. Each is stored durably, merged into its lead, and delivered to every enabled Lead Update Callback of its process whose Payload Format subscribes to its type. Rules the schema cannot express: call.completed needs `activity`; lead.status_changed needs `lead.status`; lead.disposition_marked needs `lead.disposition`; `activity.endedAt` may not precede `startedAt`. Webhooks are signed as Standard Webhooks, at least once (de-duplicate on `webhook-id`); a receiver answers 2xx within the delivery timeout." +
        retries,
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ ingestKey: [] }],
    paths: {
      "/api/events": {
        post: {
          operationId: "ingestEvents",
          summary: `Send one lead-update event, or up to ${MAX_BATCH} as a batch`,
          description:
            "A batch is all or nothing. Sending an event id that is already stored is harmless: it is reported under `duplicates` and neither stored nor delivered again. Bodies over 1 MiB are refused.",
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  oneOf: [
                    { $ref: "#/components/schemas/LeadEvent" },
                    { $ref: "#/components/schemas/EventBatch" },
                  ],
                },
              },
            },
          },
          responses: {
            "202": {
              description: "Stored before this answer; delivery follows asynchronously.",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["accepted", "duplicates"],
                    properties: {
                      accepted: {
                        type: "array",
                        items: { type: "string" },
                        description: "Event ids stored now.",
                      },
                      duplicates: {
                        type: "array",
                        items: { type: "string" },
                        description:
                          "Event ids stored before with the same body (compared as JSON: key order does not matter); nothing changed.",
                      },
                    },
                  },
                },
              },
            },
            "400": error(
              "The body is not valid JSON or not a valid event; `issues` names each field with a problem by its path (its first problem), and `message` repeats the first.",
            ),
            "401": error("Missing, unknown or revoked ingest key."),
            "404": error(
              "A process does not exist in the key's workspace; the message names the event's index.",
            ),
            "409": error(
              "An event id was received before (or earlier in this batch) with a different body; the message names the event (`events[3].id: ...`). Nothing of the batch was stored. An event id names one event: send the same body again, or a new id.",
            ),
            "413": error("The body is larger than 1 MiB."),
            "415": error("The Content-Type is not application/json."),
            "429": error(
              "Too many requests with a bad key from this address: wait as long as Retry-After says (seconds).",
            ),
            "503": error("Temporarily unavailable; retry with the same event ids."),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        ingestKey: {
          type: "http",
          scheme: "bearer",
          description: "An ingest key (lh_...), created on the API Keys page or with `npm run keys:create`.",
        },
      },
      schemas: { LeadEvent: schema(leadEventSchema), EventBatch: schema(eventBatchSchema), Error: errorBody },
    },
  };
}
