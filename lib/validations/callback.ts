import { en } from "zod/locales";
import { z } from "zod/mini";
import { forbiddenHostReason, PRIVATE_URL_HINT } from "@/lib/url-safety";
import { authTypes, payloadFormats } from "./callback-options";
import { movedFromOrigin, secretMovedMessage } from "./callback-origin";

// zod/mini so the browser only loads the checks used here. Its default messages (for input of the wrong
// type) come from the same locale classic zod installs on import, so they read the same everywhere.
z.config(en());

export const MAX_CALLBACKS = 10;
export const MAX_URL_LENGTH = 2048;
export const MAX_SECRET_LENGTH = 4096;
export const MAX_CALLBACK_NAME_LENGTH = 60;

/** Headers leadhook sets on every delivery, which a custom auth header may not replace. */
export const RESERVED_HEADERS = [
  "host",
  "content-length",
  "content-type",
  "transfer-encoding",
  "connection",
  "user-agent",
  "authorization",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
] as const;

/** RFC 9110 field-name: a token of visible ASCII without separators. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/;
// A name is one line of visible text: no control characters (C0, C1), line or paragraph separators, or
// invisible format characters (zero-width spaces, bidirectional overrides) that would make one name look
// like another in the UI and the audit log.
const NOT_PLAIN_TEXT = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
/** The label an unnamed callback gets: a name may not take another callback's. */
const DEFAULT_LABEL = /^callback\s*\d+$/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: header values may hold tabs, never other controls
const HEADER_VALUE_FORBIDDEN = /[\u0000-\u0008\u000a-\u001f\u007f]/;

export type UrlRuleOptions = { allowPrivateUrls: boolean };

/** A host name as DNS spells it (letters, digits, hyphens, underscores, dots) or a bracketed IPv6 literal. */
const HOST_NAME = /^(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?|\[[0-9a-f:.]+\])$/i;

/**
 * Returns the problem with a Lead Update URL, or null when it may be saved. The same answer in every
 * runtime: browsers' URL parsers are more lenient than Node's (Chrome turns `https://exa mple.com/` into
 * the host `exa%20mple.com`, Node refuses it), so spaces and the host's characters are judged here, not
 * left to whichever parser runs.
 */
export function leadUpdateUrlProblem(value: string, { allowPrivateUrls }: UrlRuleOptions): string | null {
  if (value.length === 0) return "Enter the Lead Update URL";
  if (value.length > MAX_URL_LENGTH) return `The URL must be at most ${MAX_URL_LENGTH} characters`;
  if (WHITESPACE_OR_CONTROL.test(value.trim()))
    return "The URL cannot contain spaces or line breaks (write a space in a path as %20)";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Enter a valid URL, such as https://yourdomain.com/api/lead-callback";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return "The URL must start with https:// or http://";
  if (url.username || url.password)
    return "Remove the user name and password from the URL; use Authentication instead";
  if (!url.hostname) return "The URL needs a host name";
  if (!HOST_NAME.test(url.hostname))
    return "The host name can only contain letters, digits, hyphens and dots, such as yourdomain.com";
  if (!allowPrivateUrls) {
    const reason = forbiddenHostReason(url.hostname);
    if (reason) return `This URL points to ${reason}, which cannot receive callbacks. ${PRIVATE_URL_HINT}`;
  }
  return null;
}

/** True when the URL is plain http, which is allowed but shown with "HTTPS recommended". */
export function isPlainHttp(value: string): boolean {
  return /^http:\/\//i.test(value.trim());
}

/**
 * The fields of one callback as the form edits them. Empty secrets with a stored hint keep the stored one,
 * unless the URL's origin differs from `storedUrl` (the saved URL, read-only; absent for a new callback).
 */
export const callbackFields = {
  id: z.nullable(z.uuid()),
  /** What admins call it ("CRM sync"); empty is no name. Optional, so input without one means no name. */
  name: z.optional(
    z.string().check(
      z.trim(),
      z.maxLength(MAX_CALLBACK_NAME_LENGTH, `Name must be at most ${MAX_CALLBACK_NAME_LENGTH} characters`),
      z.refine((name) => !NOT_PLAIN_TEXT.test(name), {
        message: "Name cannot contain line breaks, tabs, control or invisible characters",
      }),
      z.refine((name) => !DEFAULT_LABEL.test(name), {
        message: 'Choose a name other than "Callback N", which unnamed callbacks are called',
      }),
    ),
  ),
  url: z.string().check(z.trim()),
  payloadFormat: z.enum(payloadFormats),
  requiresWhitelisting: z.boolean(),
  authType: z.enum(authTypes),
  bearerToken: z.string(),
  storedBearerTokenHint: z.nullable(z.string()),
  authHeaderKey: z.string().check(z.trim()),
  authHeaderValue: z.string(),
  storedAuthHeaderValueHint: z.nullable(z.string()),
  storedUrl: z.optional(z.nullable(z.string())),
  enabled: z.boolean(),
};

/** Builds the callback schema; the URL rule depends on ALLOW_PRIVATE_CALLBACK_URLS. */
export function createCallbackSchema(options: UrlRuleOptions) {
  return z.object(callbackFields).check(
    z.superRefine((cb, ctx) => {
      const urlProblem = leadUpdateUrlProblem(cb.url, options);
      if (urlProblem) ctx.addIssue({ code: "custom", path: ["url"], message: urlProblem });
      const movedFrom = movedFromOrigin(cb.storedUrl, cb.url);

      if (cb.authType === "bearer") {
        const problem = secretProblem(
          cb.bearerToken,
          { hint: cb.storedBearerTokenHint, movedFrom },
          "Token",
          WHITESPACE_OR_CONTROL,
        );
        if (problem) ctx.addIssue({ code: "custom", path: ["bearerToken"], message: problem });
      }
      if (cb.authType === "custom_header") {
        const keyProblem = headerKeyProblem(cb.authHeaderKey);
        if (keyProblem) ctx.addIssue({ code: "custom", path: ["authHeaderKey"], message: keyProblem });
        const valueProblem = secretProblem(
          cb.authHeaderValue,
          { hint: cb.storedAuthHeaderValueHint, movedFrom },
          "Auth Value",
          HEADER_VALUE_FORBIDDEN,
        );
        if (valueProblem) ctx.addIssue({ code: "custom", path: ["authHeaderValue"], message: valueProblem });
      }
    }),
  );
}

export type CallbackInput = z.input<ReturnType<typeof createCallbackSchema>>;
export type CallbackValues = z.output<ReturnType<typeof createCallbackSchema>>;

function secretProblem(
  value: string,
  stored: { hint: string | null; movedFrom: string | null },
  label: "Token" | "Auth Value",
  forbidden: RegExp,
) {
  if (value === "") {
    if (!stored.hint) return `${label} is required`;
    return stored.movedFrom
      ? secretMovedMessage(label === "Token" ? "Bearer Token" : label, stored.movedFrom)
      : null;
  }
  if (value.length > MAX_SECRET_LENGTH) return `${label} must be at most ${MAX_SECRET_LENGTH} characters`;
  if (forbidden.test(value)) {
    return label === "Token"
      ? "Token cannot contain spaces, line breaks or control characters"
      : `${label} cannot contain line breaks or control characters`;
  }
  return null;
}

function headerKeyProblem(key: string): string | null {
  if (key === "") return "Auth Key is required";
  if (key.length > 256) return "Auth Key must be at most 256 characters";
  if (!HEADER_NAME.test(key)) return "Auth Key must be a valid header name, such as X-API-Key";
  const lower = key.toLowerCase();
  if (lower === "authorization") return "Use Bearer Token to send an Authorization header";
  if ((RESERVED_HEADERS as readonly string[]).includes(lower))
    return `${key} is set by leadhook and cannot be used`;
  return null;
}

/**
 * What makes two callbacks the same delivery: URL and authentication. A kept secret is compared by its
 * stored hint, a new one by value.
 */
export function callbackIdentity(cb: CallbackValues): string {
  let normalisedUrl = cb.url;
  try {
    normalisedUrl = new URL(cb.url).href;
  } catch {
    // An invalid URL has its own error; compare it as typed.
  }
  const auth =
    cb.authType === "bearer"
      ? `bearer:${cb.bearerToken || `kept${cb.storedBearerTokenHint}`}`
      : cb.authType === "custom_header"
        ? `header:${cb.authHeaderKey.toLowerCase()}:${cb.authHeaderValue || `kept${cb.storedAuthHeaderValueHint}`}`
        : "none";
  return `${normalisedUrl}\n${auth}`;
}

/** A new, empty callback block as "+ Add Callback" creates it. */
export function emptyCallback(): CallbackInput {
  return {
    id: null,
    name: "",
    url: "",
    payloadFormat: "activity_update",
    requiresWhitelisting: false,
    authType: "none",
    bearerToken: "",
    storedBearerTokenHint: null,
    authHeaderKey: "",
    authHeaderValue: "",
    storedAuthHeaderValueHint: null,
    storedUrl: null,
    enabled: true,
  };
}

/**
 * Replaces the stored-secret hints and stored URL in untrusted input with the stored truth (`stored` as
 * listCallbacks returns it), so "leave blank to keep" is only honoured for a secret that really exists
 * and the origin rule compares against the URL really saved. Unknown ids get no hints and no stored URL.
 */
export function withStoredHints(input: unknown, stored: readonly CallbackInput[]): unknown {
  if (!isRecord(input) || !Array.isArray(input.callbacks)) return input;
  const byId = new Map(stored.map((cb) => [cb.id, cb]));
  return {
    ...input,
    callbacks: input.callbacks.map((cb: unknown) => {
      if (!isRecord(cb)) return cb;
      const match = typeof cb.id === "string" ? byId.get(cb.id) : undefined;
      const { storedUrl: _fromBrowser, ...rest } = cb;
      return {
        ...rest,
        storedBearerTokenHint: match?.storedBearerTokenHint ?? null,
        storedAuthHeaderValueHint: match?.storedAuthHeaderValueHint ?? null,
        ...(match?.storedUrl ? { storedUrl: match.storedUrl } : {}),
      };
    }),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** How many of these callbacks the schema rejects (the list page's "2 callbacks · OK"). */
export function countInvalidCallbacks(callbacks: readonly CallbackInput[], options: UrlRuleOptions): number {
  const schema = createCallbackSchema(options);
  return callbacks.filter((cb) => !schema.safeParse(cb).success).length;
}
