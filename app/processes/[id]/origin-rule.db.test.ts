import { eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db/index";
import { getProcessSettings, saveProcessSettings } from "@/db/queries/callbacks";
import { createProcess } from "@/db/queries/processes";
import { getDefaultWorkspace } from "@/db/queries/workspaces";
import { leadUpdateCallbacks } from "@/db/schema";
import { secretPlace } from "@/lib/callback-secrets";
import { decrypt } from "@/lib/crypto";
import { getSecretsKey } from "@/lib/secrets-key";
import { type CallbackInput, emptyCallback } from "@/lib/validations/callback";
import type { ProcessSettingsInput, ProcessSettingsValues } from "@/lib/validations/process";
import { signInAs } from "@/testing/members";
import { saveProcessSettingsAction } from "./actions";

// Issue 10 §5: a stored Bearer Token or Auth Value is only ever sent to the origin it was entered for.
const STORED_URL = "https://hooks.example.com/lead";
const MOVED_URL = "https://collector.example.net/lead";
const movedMessage = (secret: string) =>
  `The URL now points to a different host: enter the ${secret} again (the stored one is only sent to https://hooks.example.com)`;

let processId: string;
let ws: string;

beforeAll(async () => {
  ws = (await signInAs("admin")).workspaceId;
});

beforeEach(async () => {
  const workspace = await getDefaultWorkspace();
  processId = (await createProcess({ workspaceId: workspace.id, name: "Origin Rule" })).id;
});

async function current(): Promise<ProcessSettingsInput> {
  const settings = await getProcessSettings((await getDefaultWorkspace()).id, processId);
  if (!settings) throw new Error("process vanished");
  return settings.values;
}

async function storedRows() {
  const db = await getDb();
  return db.select().from(leadUpdateCallbacks).where(eq(leadUpdateCallbacks.processId, processId));
}

async function storedSecrets() {
  const key = getSecretsKey();
  const open = (id: string, value: string | null, secret: Parameters<typeof secretPlace>[1]) =>
    value ? decrypt(value, key, secretPlace(id, secret)) : null;
  return (await storedRows()).map((row) => ({
    url: row.url,
    token: open(row.id, row.bearerTokenEncrypted, "bearer_token"),
    value: open(row.id, row.authHeaderValueEncrypted, "auth_header_value"),
    signingSecret: open(row.id, row.signingSecretEncrypted, "signing_secret"),
  }));
}

/** Saves one callback, then returns the form values as the page would show them next. */
async function saved(cb: Partial<CallbackInput>) {
  const result = await saveProcessSettingsAction(ws, processId, {
    ...(await current()),
    callbacks: [{ ...emptyCallback(), url: STORED_URL, ...cb }],
  });
  if (!result.ok) throw new Error(result.message);
  const values = await current();
  const [first] = values.callbacks;
  if (!first) throw new Error("callback missing");
  return { values, first };
}

describe("changing a callback's URL origin", () => {
  it("shows the stored URL to the form as storedUrl", async () => {
    const { first } = await saved({ authType: "bearer", bearerToken: "tok_old_1111" });
    expect(first.storedUrl).toBe(STORED_URL);
  });

  it("refuses a new host with the stored Bearer Token left blank, and changes nothing", async () => {
    const { values, first } = await saved({ authType: "bearer", bearerToken: "tok_old_1111" });
    const before = await storedRows();
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
    expect(await storedRows()).toEqual(before);
    expect((await current()).name).toBe("Origin Rule");
  });

  it("does not believe a storedUrl sent by the browser", async () => {
    const { values, first } = await saved({ authType: "bearer", bearerToken: "tok_old_1111" });
    const result = await saveProcessSettingsAction(ws, processId, {
      ...values,
      callbacks: [{ ...first, url: MOVED_URL, storedUrl: MOVED_URL }],
    });
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { "callbacks.0.bearerToken": movedMessage("Bearer Token") },
    });
    expect((await storedSecrets())[0]).toMatchObject({ url: STORED_URL, token: "tok_old_1111" });
  });

  it("saves the new host with a re-entered token, which replaces the old one", async () => {
    const { values, first } = await saved({ authType: "bearer", bearerToken: "tok_old_1111" });
    const [{ signingSecret } = { signingSecret: null }] = await storedSecrets();
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
    expect(await storedSecrets()).toEqual([
      { url: MOVED_URL, token: "tok_new_2222", value: null, signingSecret },
    ]);
  });

  it("keeps the stored token when only the path changes", async () => {
    const { values, first } = await saved({ authType: "bearer", bearerToken: "tok_old_1111" });
    const result = await saveProcessSettingsAction(ws, processId, {
      ...values,
      callbacks: [{ ...first, url: "https://hooks.example.com/v2/lead?source=leadhook" }],
    });
    expect(result.ok).toBe(true);
    expect((await storedSecrets())[0]).toMatchObject({
      url: "https://hooks.example.com/v2/lead?source=leadhook",
      token: "tok_old_1111",
    });
  });

  it("refuses a port change with the stored Auth Value left blank", async () => {
    const { values, first } = await saved({
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
    expect((await storedSecrets())[0]).toMatchObject({ url: STORED_URL, value: "key-old-3333" });
  });

  it("never keeps the secret across origins in the query itself, even when validation is bypassed", async () => {
    const { values, first } = await saved({ authType: "bearer", bearerToken: "tok_old_1111" });
    const before = await storedRows();
    const workspace = await getDefaultWorkspace();
    const bypass = {
      ...values,
      callbacks: [{ ...first, url: MOVED_URL, storedUrl: MOVED_URL }],
    } as ProcessSettingsValues;
    await expect(saveProcessSettings(workspace.id, processId, bypass)).rejects.toMatchObject({
      code: "invalid_request",
      fieldErrors: { "callbacks.0.bearerToken": movedMessage("Bearer Token") },
    });
    expect(await storedRows()).toEqual(before);
  });
});
