import { eq } from "drizzle-orm";
import { describe, expect } from "vitest";
import type { Database } from "@/db/index";
import { getProcessSettings, saveProcessSettings } from "@/db/queries/callbacks";
import { createProcess } from "@/db/queries/processes";
import { leadUpdateCallbacks } from "@/db/schema";
import { secretPlace } from "@/lib/callback-secrets";
import { decrypt } from "@/lib/crypto";
import { getSecretsKey } from "@/lib/secrets-key";
import { type CallbackInput, emptyCallback } from "@/lib/validations/callback";
import type { ProcessSettingsInput, ProcessSettingsValues } from "@/lib/validations/process";
import { test as dbTest } from "@/testing/db-test";
import { saveProcessSettingsAction } from "./actions";

// Issue 10 §5: a stored Bearer Token or Auth Value is only ever sent to the origin it was entered for.
const STORED_URL = "https://hooks.example.com/lead";
const MOVED_URL = "https://collector.example.net/lead";
const movedMessage = (secret: string) =>
  `The URL now points to a different host: enter the ${secret} again (the stored one is only sent to https://hooks.example.com)`;

const it = dbTest
  /** An admin of the default workspace, signed in for the test: the workspace the actions name. */
  .extend("ws", async ({ request }) => (await request.signInAs("admin")).workspaceId)
  /** A new process for each test. */
  .extend(
    "processId",
    async ({ workspaceId }) => (await createProcess({ workspaceId, name: "Origin Rule" })).id,
  );

async function current(workspaceId: string, processId: string): Promise<ProcessSettingsInput> {
  const settings = await getProcessSettings(workspaceId, processId);
  if (!settings) throw new Error("process vanished");
  return settings.values;
}

async function storedRows(db: Database, processId: string) {
  return db.select().from(leadUpdateCallbacks).where(eq(leadUpdateCallbacks.processId, processId));
}

async function storedSecrets(db: Database, processId: string) {
  const key = getSecretsKey();
  const open = (id: string, value: string | null, secret: Parameters<typeof secretPlace>[1]) =>
    value ? decrypt(value, key, secretPlace(id, secret)) : null;
  return (await storedRows(db, processId)).map((row) => ({
    url: row.url,
    token: open(row.id, row.bearerTokenEncrypted, "bearer_token"),
    value: open(row.id, row.authHeaderValueEncrypted, "auth_header_value"),
    signingSecret: open(row.id, row.signingSecretEncrypted, "signing_secret"),
  }));
}

/** Saves one callback, then returns the form values as the page would show them next. */
async function saved(ws: string, processId: string, cb: Partial<CallbackInput>) {
  const result = await saveProcessSettingsAction(ws, processId, {
    ...(await current(ws, processId)),
    callbacks: [{ ...emptyCallback(), url: STORED_URL, ...cb }],
  });
  if (!result.ok) throw new Error(result.message);
  const values = await current(ws, processId);
  const [first] = values.callbacks;
  if (!first) throw new Error("callback missing");
  return { values, first };
}

describe("changing a callback's URL origin", () => {
  it("shows the stored URL to the form as storedUrl", async ({ ws, processId }) => {
    const { first } = await saved(ws, processId, { authType: "bearer", bearerToken: "tok_old_1111" });
    expect(first.storedUrl).toBe(STORED_URL);
  });

  it("refuses a new host with the stored Bearer Token left blank, and changes nothing", async ({
    db,
    workspaceId,
    ws,
    processId,
  }) => {
    const { values, first } = await saved(ws, processId, { authType: "bearer", bearerToken: "tok_old_1111" });
    const before = await storedRows(db, processId);
    const result = await saveProcessSettingsAction(ws, processId, {
      ...values,
      name: "Should not be saved",
      callbacks: [{ ...first, url: MOVED_URL }],
    });
    expect(result).toMatchObject({
      ok: false,
      code: "invalid_request",
      fieldErrors: { "callbacks.0.bearerToken": movedMessage("Bearer Token") },
    });
    expect(await storedRows(db, processId)).toEqual(before);
    expect((await current(workspaceId, processId)).name).toBe("Origin Rule");
  });

  it("does not believe a storedUrl sent by the browser", async ({ db, ws, processId }) => {
    const { values, first } = await saved(ws, processId, { authType: "bearer", bearerToken: "tok_old_1111" });
    const result = await saveProcessSettingsAction(ws, processId, {
      ...values,
      callbacks: [{ ...first, url: MOVED_URL, storedUrl: MOVED_URL }],
    });
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { "callbacks.0.bearerToken": movedMessage("Bearer Token") },
    });
    expect((await storedSecrets(db, processId))[0]).toMatchObject({ url: STORED_URL, token: "tok_old_1111" });
  });

  it("saves the new host with a re-entered token, which replaces the old one", async ({
    db,
    ws,
    processId,
  }) => {
    const { values, first } = await saved(ws, processId, { authType: "bearer", bearerToken: "tok_old_1111" });
    const [{ signingSecret } = { signingSecret: null }] = await storedSecrets(db, processId);
    const result = await saveProcessSettingsAction(ws, processId, {
      ...values,
      callbacks: [{ ...first, url: MOVED_URL, bearerToken: "tok_new_2222" }],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.values.callbacks[0]).toMatchObject({
      storedUrl: MOVED_URL,
      storedBearerTokenHint: "••••2222",
    });
    // The signing secret is unaffected by the move.
    expect(await storedSecrets(db, processId)).toEqual([
      { url: MOVED_URL, token: "tok_new_2222", value: null, signingSecret },
    ]);
  });

  it("keeps the stored token when only the path changes", async ({ db, ws, processId }) => {
    const { values, first } = await saved(ws, processId, { authType: "bearer", bearerToken: "tok_old_1111" });
    const result = await saveProcessSettingsAction(ws, processId, {
      ...values,
      callbacks: [{ ...first, url: "https://hooks.example.com/v2/lead?source=leadhook" }],
    });
    expect(result.ok).toBe(true);
    expect((await storedSecrets(db, processId))[0]).toMatchObject({
      url: "https://hooks.example.com/v2/lead?source=leadhook",
      token: "tok_old_1111",
    });
  });

  it("refuses a port change with the stored Auth Value left blank", async ({ db, ws, processId }) => {
    const { values, first } = await saved(ws, processId, {
      authType: "custom_header",
      authHeaderKey: "X-API-Key",
      authHeaderValue: "key-old-3333",
    });
    const result = await saveProcessSettingsAction(ws, processId, {
      ...values,
      callbacks: [{ ...first, url: "https://hooks.example.com:8443/lead" }],
    });
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { "callbacks.0.authHeaderValue": movedMessage("Auth Value") },
    });
    expect((await storedSecrets(db, processId))[0]).toMatchObject({ url: STORED_URL, value: "key-old-3333" });
  });

  it("never keeps the secret across origins in the query itself, even when validation is bypassed", async ({
    db,
    workspaceId,
    ws,
    processId,
  }) => {
    const { values, first } = await saved(ws, processId, { authType: "bearer", bearerToken: "tok_old_1111" });
    const before = await storedRows(db, processId);
    const bypass = {
      ...values,
      callbacks: [{ ...first, url: MOVED_URL, storedUrl: MOVED_URL }],
    } as ProcessSettingsValues;
    await expect(saveProcessSettings(workspaceId, processId, bypass)).rejects.toMatchObject({
      code: "invalid_request",
      fieldErrors: { "callbacks.0.bearerToken": movedMessage("Bearer Token") },
    });
    expect(await storedRows(db, processId)).toEqual(before);
  });
});
