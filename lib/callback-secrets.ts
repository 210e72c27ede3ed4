import { decrypt, decryptRemembered, encrypt, generateSigningSecret, secretHint } from "./crypto";
import { AppError, messages } from "./errors";
import type { CallbackValues } from "./validations/callback";
import type { AuthType } from "./validations/callback-options";
import { isSameOrigin, secretMovedMessage, urlOrigin } from "./validations/callback-origin";
import type { CallbackAuth } from "./webhooks/deliver";

// The one home of a callback's secrets (Bearer Token, Auth Value, signing secrets): how form values become
// encrypted columns, how a stored row becomes what a delivery sends, and the masked hints the page shows.
// Pure: the key is passed in and nothing here reads or writes the database.

/**
 * Where a secret is bound to: its callback and which secret it is. A ciphertext copied into another
 * callback's row (or from the token column into the auth value's) does not decrypt there. Both signing
 * secret columns share one name, since a rotation moves the current secret into the previous column.
 */
export function secretPlace(
  callbackId: string,
  secret: "bearer_token" | "auth_header_value" | "signing_secret",
): string {
  return `lead_update_callbacks:${callbackId}:${secret}`;
}

/** A stored callback's secret columns, as lead_update_callbacks holds them (encrypted, bound to `id`). */
export type StoredCallbackSecrets = {
  id: string;
  url: string;
  authType: AuthType;
  bearerTokenEncrypted: string | null;
  authHeaderKey: string | null;
  authHeaderValueEncrypted: string | null;
  signingSecretEncrypted: string;
  previousSigningSecretEncrypted?: string | null;
  previousSigningSecretExpiresAt?: Date | null;
};

type PreviousSecrets = Pick<
  StoredCallbackSecrets,
  "url" | "bearerTokenEncrypted" | "authHeaderValueEncrypted"
>;

/**
 * The auth columns to store for a callback as the form saves it, encrypted. A secret left blank keeps the
 * stored one (`previous`, the row before the save) only while the URL's origin is unchanged. Throws
 * invalid_request, naming the field at `position`, when a secret is missing: validation refuses that first,
 * this refuses too rather than save a callback without its credentials. A new callback's signing secret
 * comes from {@link newSigningSecret}.
 */
export function encryptedAuthColumns(
  cb: CallbackValues,
  previous: PreviousSecrets | undefined,
  key: Buffer,
  position: number,
  callbackId: string,
) {
  // A stored secret is only ever sent to the origin it was entered for, whatever the input claims.
  const movedFrom =
    previous && !isSameOrigin(previous.url, cb.url) ? (urlOrigin(previous.url) ?? previous.url) : null;
  const secret = (field: "bearerToken" | "authHeaderValue", stored: string | null | undefined) => {
    if (cb[field]) {
      return encrypt(
        cb[field],
        key,
        secretPlace(callbackId, field === "bearerToken" ? "bearer_token" : "auth_header_value"),
      );
    }
    if (stored && !movedFrom) return stored;
    const name = field === "bearerToken" ? "Bearer Token" : "Auth Value";
    const message =
      stored && movedFrom
        ? secretMovedMessage(name, movedFrom)
        : `${field === "bearerToken" ? "Token" : name} is required`;
    throw new AppError("invalid_request", messages.fixErrorsBeforeSaving, {
      fieldErrors: { [`callbacks.${position}.${field}`]: message },
    });
  };
  return {
    authType: cb.authType,
    bearerTokenEncrypted:
      cb.authType === "bearer" ? secret("bearerToken", previous?.bearerTokenEncrypted) : null,
    authHeaderKey: cb.authType === "custom_header" ? cb.authHeaderKey : null,
    authHeaderValueEncrypted:
      cb.authType === "custom_header" ? secret("authHeaderValue", previous?.authHeaderValueEncrypted) : null,
  };
}

/** A fresh signing secret for callback `callbackId`, encrypted for storage, with its hint; the plaintext never leaves. */
export function newSigningSecret(
  key: Buffer,
  callbackId: string,
): { signingSecretEncrypted: string; hint: string } {
  const secret = generateSigningSecret();
  return {
    signingSecretEncrypted: encrypt(secret, key, secretPlace(callbackId, "signing_secret")),
    hint: secretHint(secret),
  };
}

/** The current signing secret in plaintext, for an admin who reveals it or code that verifies deliveries. */
export function signingSecretOf(
  row: Pick<StoredCallbackSecrets, "id" | "signingSecretEncrypted">,
  key: Buffer,
) {
  return decrypt(row.signingSecretEncrypted, key, secretPlace(row.id, "signing_secret"));
}

/** The masked hints of a stored callback's secrets: null where none is stored. */
export function secretHints(
  row: Pick<
    StoredCallbackSecrets,
    "id" | "bearerTokenEncrypted" | "authHeaderValueEncrypted" | "signingSecretEncrypted"
  >,
  key: Buffer,
) {
  const hint = (value: string | null, secret: "bearer_token" | "auth_header_value") =>
    value ? secretHint(decrypt(value, key, secretPlace(row.id, secret))) : null;
  return {
    storedBearerTokenHint: hint(row.bearerTokenEncrypted, "bearer_token"),
    storedAuthHeaderValueHint: hint(row.authHeaderValueEncrypted, "auth_header_value"),
    signingSecretHint: secretHint(signingSecretOf(row, key)),
  };
}

/**
 * What a delivery sends for a stored callback: its authentication and the secrets it is signed with. The
 * previous secret signs too until its rotation overlap ends (at `now`); an expired one is never decrypted.
 * Decryptions are remembered, since the same callback is delivered to again and again.
 */
export function deliveryCredentials(
  row: StoredCallbackSecrets,
  key: Buffer,
  now = Date.now(),
): { auth: CallbackAuth; signingSecret: string; previousSigningSecret: string | undefined } {
  const auth: CallbackAuth =
    row.authType === "bearer" && row.bearerTokenEncrypted
      ? {
          type: "bearer",
          token: decryptRemembered(row.bearerTokenEncrypted, key, secretPlace(row.id, "bearer_token")),
        }
      : row.authType === "custom_header" && row.authHeaderKey && row.authHeaderValueEncrypted
        ? {
            type: "custom_header",
            key: row.authHeaderKey,
            value: decryptRemembered(
              row.authHeaderValueEncrypted,
              key,
              secretPlace(row.id, "auth_header_value"),
            ),
          }
        : { type: "none" };
  const previousSigningSecret =
    row.previousSigningSecretEncrypted &&
    row.previousSigningSecretExpiresAt &&
    row.previousSigningSecretExpiresAt.getTime() > now
      ? decryptRemembered(row.previousSigningSecretEncrypted, key, secretPlace(row.id, "signing_secret"))
      : undefined;
  const signingSecret = decryptRemembered(
    row.signingSecretEncrypted,
    key,
    secretPlace(row.id, "signing_secret"),
  );
  return { auth, signingSecret, previousSigningSecret };
}

/** Every secret a stored callback holds, in plaintext, whatever its auth type now (what redaction hides). */
export function storedSecrets(row: StoredCallbackSecrets, key: Buffer): string[] {
  const columns = [
    [row.bearerTokenEncrypted, "bearer_token"],
    [row.authHeaderValueEncrypted, "auth_header_value"],
    [row.signingSecretEncrypted, "signing_secret"],
    [row.previousSigningSecretEncrypted, "signing_secret"],
  ] as const;
  return columns.flatMap(([value, place]) =>
    value ? [decrypt(value, key, secretPlace(row.id, place))] : [],
  );
}
