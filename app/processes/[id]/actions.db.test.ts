import { eq } from "drizzle-orm";
import { describe, expect } from "vitest";
import type { Database } from "@/db/index";
import { getProcessSettings } from "@/db/queries/callbacks";
import { createProcess } from "@/db/queries/processes";
import { leadUpdateCallbacks, processes } from "@/db/schema";
import { secretPlace } from "@/lib/callback-secrets";
import { decrypt } from "@/lib/crypto";
import { getSecretsKey } from "@/lib/secrets-key";
import { type CallbackInput, emptyCallback } from "@/lib/validations/callback";
import type { ProcessSettingsInput } from "@/lib/validations/process";
import { test as dbTest } from "@/testing/db-test";
import { revealSigningSecretAction, rotateSigningSecretAction, saveProcessSettingsAction } from "./actions";

const it = dbTest
  /** An admin of the default workspace, signed in for the test: the workspace the actions name. */
  .extend("ws", async ({ request }) => (await request.signInAs("admin")).workspaceId)
  /** A new process for each test. */
  .extend(
    "processId",
    async ({ workspaceId }) =>
      (await createProcess({ workspaceId, name: "OutReach Plan (hinglish)", language: "Hinglish" })).id,
  );

async function current(workspaceId: string, processId: string): Promise<ProcessSettingsInput> {
  const settings = await getProcessSettings(workspaceId, processId);
  if (!settings) throw new Error("process vanished");
  return settings.values;
}

const callback = (overrides: Partial<CallbackInput>): CallbackInput => ({
  ...emptyCallback(),
  url: "https://hooks.example.com/lead",
  ...overrides,
});

async function storedRows(db: Database, processId: string) {
  return db.select().from(leadUpdateCallbacks).where(eq(leadUpdateCallbacks.processId, processId));
}

/** The first stored callback's Bearer token, decrypted where it is bound (its row). */
function storedToken(rows: { id: string; bearerTokenEncrypted: string | null }[], key: Buffer) {
  const [row] = rows;
  return decrypt(row?.bearerTokenEncrypted ?? "", key, secretPlace(row?.id ?? "", "bearer_token"));
}

describe("saveProcessSettingsAction", () => {
  it("saves details and callbacks, encrypts secrets, and returns only hints", async ({
    db,
    workspaceId,
    ws,
    processId,
  }) => {
    const result = await saveProcessSettingsAction(ws, processId, {
      ...(await current(workspaceId, processId)),
      description: "Qualification calls",
      callbacks: [
        callback({ authType: "bearer", bearerToken: "tok_live_abcd1234" }),
        callback({
          url: "https://crm.example.com/hook",
          authType: "custom_header",
          authHeaderKey: "X-API-Key",
          authHeaderValue: "key-5678",
        }),
      ],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.values.version).toBe(2);
    expect(result.values.description).toBe("Qualification calls");
    expect(
      result.values.callbacks.map((c) => [c.storedBearerTokenHint, c.storedAuthHeaderValueHint]),
    ).toEqual([
      ["••••1234", null],
      [null, "••••5678"],
    ]);
    expect(JSON.stringify(result)).not.toContain("tok_live_abcd1234");
    expect(JSON.stringify(result)).not.toContain("key-5678");

    const rows = (await storedRows(db, processId)).sort((a, b) => a.position - b.position);
    expect(rows).toHaveLength(2);
    const key = getSecretsKey();
    expect(rows[0]?.bearerTokenEncrypted).not.toContain("tok_live");
    const [first, second] = rows;
    expect(
      decrypt(first?.bearerTokenEncrypted ?? "", key, secretPlace(first?.id ?? "", "bearer_token")),
    ).toBe("tok_live_abcd1234");
    expect(
      decrypt(
        second?.authHeaderValueEncrypted ?? "",
        key,
        secretPlace(second?.id ?? "", "auth_header_value"),
      ),
    ).toBe("key-5678");
    expect(rows[1]?.authHeaderKey).toBe("X-API-Key");
    for (const row of rows) {
      expect(decrypt(row.signingSecretEncrypted, key, secretPlace(row.id, "signing_secret"))).toMatch(
        /^whsec_/,
      );
    }
  });

  it("keeps a stored secret when its field is left blank, and replaces it when typed", async ({
    db,
    workspaceId,
    ws,
    processId,
  }) => {
    await saveProcessSettingsAction(ws, processId, {
      ...(await current(workspaceId, processId)),
      callbacks: [callback({ authType: "bearer", bearerToken: "first-token" })],
    });
    const kept = await saveProcessSettingsAction(ws, processId, {
      ...(await current(workspaceId, processId)),
      name: "Renamed",
    });
    expect(kept.ok).toBe(true);
    const key = getSecretsKey();
    expect(storedToken(await storedRows(db, processId), key)).toBe("first-token");

    const values = await current(workspaceId, processId);
    const first = values.callbacks[0];
    if (!first) throw new Error("callback missing");
    await saveProcessSettingsAction(ws, processId, {
      ...values,
      callbacks: [{ ...first, bearerToken: "second-token" }],
    });
    expect(storedToken(await storedRows(db, processId), key)).toBe("second-token");
  });

  it("does not let the browser claim a stored secret that does not exist", async ({
    db,
    workspaceId,
    ws,
    processId,
  }) => {
    const result = await saveProcessSettingsAction(ws, processId, {
      ...(await current(workspaceId, processId)),
      callbacks: [callback({ authType: "bearer", bearerToken: "", storedBearerTokenHint: "••••fake" })],
    });
    expect(result).toMatchObject({
      ok: false,
      code: "invalid_request",
      fieldErrors: { "callbacks.0.bearerToken": "Token is required" },
    });
    expect(await storedRows(db, processId)).toHaveLength(0);
  });

  it("returns field errors and leaves everything as it was when any callback is invalid", async ({
    db,
    workspaceId,
    ws,
    processId,
  }) => {
    await saveProcessSettingsAction(ws, processId, {
      ...(await current(workspaceId, processId)),
      callbacks: [callback({})],
    });
    const before = await storedRows(db, processId);
    const values = await current(workspaceId, processId);
    const result = await saveProcessSettingsAction(ws, processId, {
      ...values,
      name: "Should not be saved",
      callbacks: [...values.callbacks, callback({ url: "http://169.254.169.254/latest" })],
    });
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { "callbacks.1.url": expect.stringMatching(/link-local/) },
    });
    expect(await storedRows(db, processId)).toEqual(before);
    expect((await current(workspaceId, processId)).name).toBe("OutReach Plan (hinglish)");
  });

  it("refuses a localhost name before any DNS lookup", async ({ workspaceId, ws, processId }) => {
    const result = await saveProcessSettingsAction(ws, processId, {
      ...(await current(workspaceId, processId)),
      callbacks: [callback({ url: "http://localhost.:8080/hook" })],
    });
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { "callbacks.0.url": expect.stringMatching(/loopback/) },
    });
  });

  it("refuses a save based on a stale version and keeps the newer one", async ({
    db,
    workspaceId,
    ws,
    processId,
  }) => {
    const stale = await current(workspaceId, processId);
    expect((await saveProcessSettingsAction(ws, processId, { ...stale, name: "Tab A" })).ok).toBe(true);
    const result = await saveProcessSettingsAction(ws, processId, {
      ...stale,
      name: "Tab B",
      callbacks: [callback({})],
    });
    expect(result).toMatchObject({
      ok: false,
      code: "conflict",
      message: expect.stringMatching(/changed elsewhere/),
    });
    expect((await current(workspaceId, processId)).name).toBe("Tab A");
    expect(await storedRows(db, processId)).toHaveLength(0);
  });

  it("removes callbacks left out of the list and rolls back when an id is unknown", async ({
    db,
    workspaceId,
    ws,
    processId,
  }) => {
    await saveProcessSettingsAction(ws, processId, {
      ...(await current(workspaceId, processId)),
      callbacks: [callback({}), callback({ url: "https://two.example.com/" })],
    });
    const values = await current(workspaceId, processId);
    const [first, second] = values.callbacks;
    if (!first || !second) throw new Error("callbacks missing");
    const ghost = { ...second, id: "00000000-0000-4000-8000-000000000000" };
    const refused = await saveProcessSettingsAction(ws, processId, { ...values, callbacks: [first, ghost] });
    expect(refused).toMatchObject({ ok: false, code: "conflict" });
    expect(await storedRows(db, processId)).toHaveLength(2);

    const saved = await saveProcessSettingsAction(ws, processId, { ...values, callbacks: [second] });
    expect(saved.ok).toBe(true);
    const rows = await storedRows(db, processId);
    expect(rows.map((r) => [r.id, r.position])).toEqual([[second.id, 0]]);
  });

  it("rejects junk input with a clear error and no write", async ({ workspaceId, ws, processId }) => {
    for (const junk of [
      null,
      "x",
      { version: "1" },
      { ...(await current(workspaceId, processId)), callbacks: [{ url: 5 }] },
    ]) {
      const result = await saveProcessSettingsAction(ws, processId, junk);
      expect(result).toMatchObject({ ok: false, code: "invalid_request" });
    }
    expect((await current(workspaceId, processId)).version).toBe(1);
  });

  it("answers not_found for a process that does not exist", async ({ workspaceId, ws, processId }) => {
    const result = await saveProcessSettingsAction(
      ws,
      "00000000-0000-4000-8000-000000000000",
      await current(workspaceId, processId),
    );
    expect(result).toMatchObject({ ok: false, code: "not_found" });
  });
});

describe("signing secret actions", () => {
  it("reveals and rotates the secret of a callback of this process only", async ({
    workspaceId,
    ws,
    processId,
  }) => {
    await saveProcessSettingsAction(ws, processId, {
      ...(await current(workspaceId, processId)),
      callbacks: [callback({})],
    });
    const id = (await current(workspaceId, processId)).callbacks[0]?.id ?? "";
    const revealed = await revealSigningSecretAction(ws, processId, id);
    if (!revealed.ok) throw new Error(revealed.message);
    expect(revealed.secret).toMatch(/^whsec_/);

    const rotated = await rotateSigningSecretAction(ws, processId, id);
    if (!rotated.ok) throw new Error(rotated.message);
    const after = await revealSigningSecretAction(ws, processId, id);
    if (!after.ok) throw new Error(after.message);
    expect(after.secret).not.toBe(revealed.secret);
    expect(rotated.hint).toBe(`••••${after.secret.slice(-4)}`);

    const other = await createProcess({ workspaceId, name: "Other" });
    expect(await revealSigningSecretAction(ws, other.id, id)).toMatchObject({ ok: false, code: "not_found" });
    expect(await rotateSigningSecretAction(ws, other.id, "not-a-uuid")).toMatchObject({
      ok: false,
      code: "not_found",
    });
  });
});

describe("deleting a process", () => {
  it("cascades to its callbacks", async ({ db, workspaceId, ws, processId }) => {
    await saveProcessSettingsAction(ws, processId, {
      ...(await current(workspaceId, processId)),
      callbacks: [callback({})],
    });
    await db.delete(processes).where(eq(processes.id, processId));
    expect(await storedRows(db, processId)).toHaveLength(0);
  });
});
