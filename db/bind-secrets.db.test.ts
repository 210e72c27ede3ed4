import { eq } from "drizzle-orm";
import { describe, expect } from "vitest";
import { deliveryCredentials } from "@/lib/callback-secrets";
import { encrypt, generateSigningSecret } from "@/lib/crypto";
import { getSecretsKey } from "@/lib/secrets-key";
import { it } from "@/testing/db-test";
import { processWithCallbacks } from "@/testing/fixtures";
import { bindStoredSecrets } from "./bind-secrets";
import type { Database } from "./index";
import { leadUpdateCallbacks } from "./schema";

const rowOf = async (db: Database, id: string) => {
  const [row] = await db.select().from(leadUpdateCallbacks).where(eq(leadUpdateCallbacks.id, id));
  if (!row) throw new Error("callback vanished");
  return row;
};

describe("callback secrets bound to their row", () => {
  it("are bound when saved: a ciphertext copied into another callback does not decrypt there", async ({
    db,
  }) => {
    const { callbackIds } = await processWithCallbacks(`bound ${Math.random()}`, [
      { authType: "bearer", bearerToken: "tok_of_callback_a" },
      { authType: "bearer", bearerToken: "tok_of_callback_b" },
    ]);
    const [a, b] = await Promise.all(callbackIds.map((id) => rowOf(db, id)));
    if (!a || !b) throw new Error("two callbacks expected");
    const key = getSecretsKey();
    expect(a.bearerTokenEncrypted?.startsWith("v2:")).toBe(true);
    expect(deliveryCredentials(a, key).auth).toEqual({ type: "bearer", token: "tok_of_callback_a" });
    // Someone able to write the table moves A's token and signing secret into B (to send them to B's URL).
    const swapped = { ...b, bearerTokenEncrypted: a.bearerTokenEncrypted };
    expect(() => deliveryCredentials(swapped, key)).toThrow();
    expect(() =>
      deliveryCredentials({ ...b, signingSecretEncrypted: a.signingSecretEncrypted }, key),
    ).toThrow();
  });

  it("binds what was stored unbound before, once, when the database is migrated", async ({ db }) => {
    const { callbackIds } = await processWithCallbacks(`unbound ${Math.random()}`, [
      { authType: "custom_header", authHeaderKey: "X-Api-Key", authHeaderValue: "placeholder" },
    ]);
    const id = callbackIds[0] as string;
    const key = getSecretsKey();
    const signing = generateSigningSecret();
    // As a server before this change stored them: v1, no associated data.
    await db
      .update(leadUpdateCallbacks)
      .set({
        authHeaderValueEncrypted: encrypt("value-from-before", key),
        signingSecretEncrypted: encrypt(signing, key),
        previousSigningSecretEncrypted: encrypt(signing, key),
        previousSigningSecretExpiresAt: new Date(Date.now() + 3_600_000),
      })
      .where(eq(leadUpdateCallbacks.id, id));
    const before = await rowOf(db, id);
    expect(() => deliveryCredentials(before, key)).toThrow(/Unrecognised/);

    expect(await bindStoredSecrets(db)).toBe(1);
    const row = await rowOf(db, id);
    for (const value of [
      row.authHeaderValueEncrypted,
      row.signingSecretEncrypted,
      row.previousSigningSecretEncrypted,
    ])
      expect(value?.startsWith("v2:")).toBe(true);
    expect(deliveryCredentials(row, key)).toEqual({
      auth: { type: "custom_header", key: "X-Api-Key", value: "value-from-before" },
      signingSecret: signing,
      previousSigningSecret: signing,
    });
    expect(await bindStoredSecrets(db)).toBe(0);
  });
});
