import { eq } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect } from "vitest";
import type { Database } from "@/db/index";
import { createProcess } from "@/db/queries/processes";
import { leadUpdateCallbacks, processes } from "@/db/schema";
import { emptyCallback } from "@/lib/validations/callback";
import { test as dbTest } from "@/testing/db-test";
import { saveProcessSettingsAction } from "./actions";

// Property-based: any input to the settings action is either saved whole or refused with field errors
// and the stored configuration left exactly as it was. Never an exception, never a partial save.
const RUNS = 1_000;

const it = dbTest
  /** The process every run saves to. */
  .extend(
    "processId",
    { scope: "file" },
    async ({ workspaceId }) => (await createProcess({ workspaceId, name: "Settings Fuzz" })).id,
  )
  /** An admin of the default workspace, signed in for the test: the workspace the action names. */
  .extend("ws", async ({ request }) => (await request.signInAs("admin")).workspaceId);

async function snapshot(db: Database, processId: string) {
  const [process] = await db.select().from(processes).where(eq(processes.id, processId));
  const callbacks = await db
    .select()
    .from(leadUpdateCallbacks)
    .where(eq(leadUpdateCallbacks.processId, processId))
    .orderBy(leadUpdateCallbacks.position);
  return { process, callbacks };
}

const text = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "",
    " ",
    "https://hooks.example.com/lead",
    "http://10.0.0.1/",
    "http://[::1]/",
    "X-API-Key",
    "Host",
  ),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.integer({ min: 2000, max: 5000 }).map((n) => "a".repeat(n)),
);
const callback = fc.record(
  {
    id: fc.oneof(fc.constant(null), fc.uuid(), fc.string()),
    url: fc.oneof(text, fc.webUrl()),
    payloadFormat: fc.oneof(fc.constantFrom("activity_update", "full_lead"), fc.string()),
    requiresWhitelisting: fc.oneof(fc.boolean(), fc.anything()),
    authType: fc.oneof(fc.constantFrom("none", "bearer", "custom_header"), fc.string()),
    bearerToken: text,
    storedBearerTokenHint: fc.oneof(fc.constant(null), fc.string()),
    authHeaderKey: text,
    authHeaderValue: text,
    storedAuthHeaderValueHint: fc.oneof(fc.constant(null), fc.string()),
    enabled: fc.oneof(fc.boolean(), fc.anything()),
  },
  { requiredKeys: [] },
);
const settings = fc.record(
  {
    useCurrentVersion: fc.boolean(),
    name: text,
    description: text,
    language: text,
    status: fc.oneof(fc.constantFrom("active", "paused", "archived"), fc.string()),
    callbacks: fc.oneof(fc.array(callback, { maxLength: 12 }), fc.anything()),
    extra: fc.anything(),
  },
  { requiredKeys: ["useCurrentVersion"] },
);
// Valid settings, so every run also exercises real saves (with new, kept and removed callbacks).
const validSettings = fc.record({
  useCurrentVersion: fc.constant(true),
  name: fc.constantFrom("Renamed", "OutReach Plan (hinglish)", "Q4 Renewals"),
  description: fc.string({ maxLength: 50 }),
  language: fc.constantFrom("English", "Hinglish"),
  status: fc.constantFrom("active", "paused", "archived"),
  callbacks: fc
    .uniqueArray(fc.integer({ min: 1, max: 50 }), { maxLength: 4 })
    .map((ns) => ns.map((n) => ({ ...emptyCallback(), url: `https://hooks.example.com/${n}` }))),
});
const input = fc.oneof(
  { weight: 1, arbitrary: fc.anything() },
  { weight: 6, arbitrary: settings },
  { weight: 2, arbitrary: validSettings },
);

describe("saveProcessSettingsAction under generated input", () => {
  it(`saves ${RUNS} generated inputs whole or not at all`, async ({ db, ws, processId }) => {
    let saved = 0;
    await fc.assert(
      fc.asyncProperty(input, async (generated) => {
        const before = await snapshot(db, processId);
        const body =
          generated && typeof generated === "object" && "useCurrentVersion" in generated
            ? { ...generated, version: generated.useCurrentVersion ? before.process?.version : 1_000_000 }
            : generated;
        const result = await saveProcessSettingsAction(ws, processId, body);
        const after = await snapshot(db, processId);
        if (result.ok) {
          saved += 1;
          expect(after.process?.version).toBe((before.process?.version ?? 0) + 1);
          expect(after.callbacks).toHaveLength(result.values.callbacks.length);
        } else {
          expect(["invalid_request", "conflict"]).toContain(result.code);
          expect(typeof result.message).toBe("string");
          expect(typeof result.fieldErrors).toBe("object");
          expect(after).toEqual(before);
        }
      }),
      { numRuns: RUNS },
    );
    expect(saved).toBeGreaterThan(0);
  }, 600_000);
});
