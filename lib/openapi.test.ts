import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi";
import { activityTypes } from "./validations/event";

describe("OpenAPI document", () => {
  const doc = buildOpenApiDocument();
  const event = doc.components.schemas.LeadEvent as {
    required: string[];
    properties: Record<
      string,
      { enum?: string[]; format?: string; properties?: Record<string, { pattern?: string }> }
    >;
    additionalProperties: boolean;
  };

  it("is OpenAPI 3.1 describing POST /api/events with every answer", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths["/api/events"].post.responses)).toEqual([
      "202",
      "400",
      "401",
      "404",
      "409",
      "413",
      "415",
      "429",
      "503",
    ]);
  });

  it("is generated from the validation schema: required fields, types, formats and patterns", () => {
    expect(event.required.sort()).toEqual(["id", "lead", "occurredAt", "processId", "type"]);
    expect(event.properties.type?.enum).toContain("lead.disposition_marked");
    expect(event.properties.processId?.format).toBe("uuid");
    expect(event.properties.lead?.properties?.phone?.pattern).toBe("^\\+[1-9]\\d{1,14}$");
    expect(event.additionalProperties).toBe(false);
    const batch = doc.components.schemas.EventBatch as {
      properties: { events: { maxItems: number; minItems: number } };
    };
    expect(batch.properties.events).toMatchObject({ minItems: 1, maxItems: 100 });
  });

  it("gives each activity type its own fields", () => {
    const activity = (
      doc.components.schemas.LeadEvent as unknown as {
        properties: {
          activity: { oneOf: { properties: Record<string, { const?: string }>; required: string[] }[] };
        };
      }
    ).properties.activity;
    const byType = new Map(activity.oneOf.map((o) => [o.properties.type?.const, o]));
    expect([...byType.keys()]).toEqual([...activityTypes]);
    expect(byType.get("call")?.required).toEqual(["type", "callId"]);
    expect(byType.get("sms")?.required).toEqual(["type", "messageId", "direction"]);
    expect(Object.keys(byType.get("whatsapp")?.properties ?? {})).toContain("templateName");
    expect(Object.keys(byType.get("email")?.properties ?? {})).toContain("subject");
    expect(byType.get("note")?.required).toEqual(["type", "noteId", "body"]);
    expect(byType.get("callback_scheduled")?.required).toEqual(["type", "scheduledFor"]);
  });
});

describe("OpenAPI document's delivery terms", () => {
  it("states the server's retry schedule when given it", () => {
    expect(buildOpenApiDocument().info.description).not.toContain("retried");
    expect(buildOpenApiDocument(undefined, [5000, 300_000]).info.description).toContain(
      "Failed deliveries are retried 2 times over about 5 minutes, waiting 5 s and 5 min between attempts (±10%). A 429 or 503 with Retry-After is retried after that delay instead, up to 24 hours",
    );
  });
});
