import { eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db/index";
import { getProcessSettings } from "@/db/queries/callbacks";
import { createProcess } from "@/db/queries/processes";
import { getDefaultWorkspace } from "@/db/queries/workspaces";
import { leadUpdateCallbacks, processes } from "@/db/schema";
import { secretPlace } from "@/lib/callback-secrets";
import { decrypt } from "@/lib/crypto";
import { getSecretsKey } from "@/lib/secrets-key";
import { type CallbackInput, emptyCallback } from "@/lib/validations/callback";
import type { ProcessSettingsInput } from "@/lib/validations/process";
import { signInAs } from "@/testing/members";
import { revealSigningSecretAction, rotateSigningSecretAction, saveProcessSettingsAction } from "./actions";

let processId: string;
let ws: string;

beforeAll(async () => {
  ws = (await signInAs("admin")).workspaceId;
});

beforeEach(async () => {
  const workspace = await getDefaultWorkspace();
  processId = (
    await createProcess({ workspaceId: workspace.id, name: "OutReach Plan (hinglish)", language: "Hinglish" })
  ).id;
});

async function current(): Promise<ProcessSettingsInput> {
  const settings = await getProcessSettings((await getDefaultWorkspace()).id, processId);
  if (!settings) throw new Error("process vanished");
  return settings.values;
}

const callback = (overrides: Partial<CallbackInput>): CallbackInput => ({
  ...emptyCallback(),
  url: "https://hooks.example.com/lead",
  ...overrides,
});

async function storedRows() {
  const db = await getDb();
  return db.select().from(leadUpdateCallbacks).where(eq(leadUpdateCallbacks.processId, processId));
}

/** The first stored callback's Bearer token, decrypted where it is bound (its row). */
function storedToken(rows: { id: string; bearerTokenEncrypted: string | null }[], key: Buffer) {
  const [row] = rows;
  return decrypt(row?.bearerTokenEncrypted ?? "", key, secretPlace(row?.id ?? "", "bearer_token"));
}

describe("saveProcessSettingsAction", () => {
  it("saves details and callbacks, encrypts secrets, and returns only hints", async () => {
    const result = await saveProcessSettingsAction(ws, processId, {
      ...(await current()),
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

    const rows = (await storedRows()).sort((a, b) => a.position - b.position);
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

  it("keeps a stored secret when its field is left blank, and replaces it when typed", async () => {
    await saveProcessSettingsAction(ws, processId, {
      ...(await current()),
      callbacks: [callback({ authType: "bearer", bearerToken: "first-token" })],
    });
    const kept = await saveProcessSettingsAction(ws, processId, { ...(await current()), name: "Renamed" });
    expect(kept.ok).toBe(true);
    const key = getSecretsKey();
    expect(storedToken(await storedRows(), key)).toBe("first-token");

    const values = await current();
    const first = values.callbacks[0];
    if (!first) throw new Error("callback missing");
    await saveProcessSettingsAction(ws, processId, {
      ...values,
      callbacks: [{ ...first, bearerToken: "second-token" }],
    });
    expect(storedToken(await storedRows(), key)).toBe("second-token");
  });

  it("does not let the browser claim a stored secret that does not exist", async () => {
    const result = await saveProcessSettingsAction(ws, processId, {
      ...(await current()),
      callbacks: [callback({ authType: "bearer", bearerToken: "", storedBearerTokenHint: "••••fake" })],
    });
    expect(result).toMatchObject({
      ok: false,
      code: "invalid_request",
      fieldErrors: { "callbacks.0.bearerToken": "Token is required" },
    });
    expect(await storedRows()).toHaveLength(0);
  });

  it("returns field errors and leaves everything as it was when any callback is invalid", async () => {
    await saveProcessSettingsAction(ws, processId, { ...(await current()), callbacks: [callback({})] });
    const before = await storedRows();
    const values = await current();
    const result = await saveProcessSettingsAction(ws, processId, {
      ...values,
      name: "Should not be saved",
      callbacks: [...values.callbacks, callback({ url: "http://169.254.169.254/latest" })],
    });
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { "callbacks.1.url": expect.stringMatching(/link-local/) },
    });
    expect(await storedRows()).toEqual(before);
    expect((await current()).name).toBe("OutReach Plan (hinglish)");
  });

  it("refuses a localhost name before any DNS lookup", async () => {
    const result = await saveProcessSettingsAction(ws, processId, {
      ...(await current()),
      callbacks: [callback({ url: "http://localhost.:8080/hook" })],
    });
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { "callbacks.0.url": expect.stringMatching(/loopback/) },
    });
  });

  it("refuses a save based on a stale version and keeps the newer one", async () => {
    const stale = await current();
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
    expect((await current()).name).toBe("Tab A");
    expect(await storedRows()).toHaveLength(0);
  });

  it("removes callbacks left out of the list and rolls back when an id is unknown", async () => {
    await saveProcessSettingsAction(ws, processId, {
      ...(await current()),
      callbacks: [callback({}), callback({ url: "https://two.example.com/" })],
    });
    const values = await current();
    const [first, second] = values.callbacks;
    if (!first || !second) throw new Error("callbacks missing");
    const ghost = { ...second, id: "00000000-0000-4000-8000-000000000000" };
    const refused = await saveProcessSettingsAction(ws, processId, { ...values, callbacks: [first, ghost] });
    expect(refused).toMatchObject({ ok: false, code: "conflict" });
    expect(await storedRows()).toHaveLength(2);

    const saved = await saveProcessSettingsAction(ws, processId, { ...values, callbacks: [second] });
    expect(saved.ok).toBe(true);
    const rows = await storedRows();
    expect(rows.map((r) => [r.id, r.position])).toEqual([[second.id, 0]]);
  });

  it("rejects junk input with a clear error and no write", async () => {
    for (const junk of [null, "x", { version: "1" }, { ...(await current()), callbacks: [{ url: 5 }] }]) {
      const result = await saveProcessSettingsAction(ws, processId, junk);
      expect(result).toMatchObject({ ok: false, code: "invalid_request" });
    }
    expect((await current()).version).toBe(1);
  });

  it("answers not_found for a process that does not exist", async () => {
    const result = await saveProcessSettingsAction(
      ws,
      "00000000-0000-4000-8000-000000000000",
      await current(),
    );
    expect(result).toMatchObject({ ok: false, code: "not_found" });
  });
});

describe("signing secret actions", () => {
  it("reveals and rotates the secret of a callback of this process only", async () => {
    await saveProcessSettingsAction(ws, processId, { ...(await current()), callbacks: [callback({})] });
    const id = (await current()).callbacks[0]?.id ?? "";
    const revealed = await revealSigningSecretAction(ws, processId, id);
    if (!revealed.ok) throw new Error(revealed.message);
    expect(revealed.secret).toMatch(/^whsec_/);

    const rotated = await rotateSigningSecretAction(ws, processId, id);
    if (!rotated.ok) throw new Error(rotated.message);
    const after = await revealSigningSecretAction(ws, processId, id);
    if (!after.ok) throw new Error(after.message);
    expect(after.secret).not.toBe(revealed.secret);
    expect(rotated.hint).toBe(`••••${after.secret.slice(-4)}`);

    const workspace = await getDefaultWorkspace();
    const other = await createProcess({ workspaceId: workspace.id, name: "Other" });
    expect(await revealSigningSecretAction(ws, other.id, id)).toMatchObject({ ok: false, code: "not_found" });
    expect(await rotateSigningSecretAction(ws, other.id, "not-a-uuid")).toMatchObject({
      ok: false,
      code: "not_found",
    });
  });
});

describe("deleting a process", () => {
  it("cascades to its callbacks", async () => {
    await saveProcessSettingsAction(ws, processId, { ...(await current()), callbacks: [callback({})] });
    const db = await getDb();
    await db.delete(processes).where(eq(processes.id, processId));
    expect(await storedRows()).toHaveLength(0);
  });
});
