import { Webhook } from "standardwebhooks";
import { type Dispatcher, request } from "undici";
import pkg from "../../package.json";
import { dispatcherFor, type EgressOptions } from "./egress";
import { classifyError, type ErrorClass } from "./errors";
import { redactSecrets, secretForms } from "./redact";
import { type AttemptOutcome, MAX_RETRY_DELAY_MS } from "./retry-policy";

export const USER_AGENT = `leadhook/${pkg.version}`;
export const RESPONSE_EXCERPT_BYTES = 2048;

export type CallbackAuth =
  | { type: "none" }
  | { type: "bearer"; token: string }
  | { type: "custom_header"; key: string; value: string };

export type WebhookRequest = {
  url: string;
  /** The delivery id: the same on every retry, so receivers can de-duplicate. */
  webhookId: string;
  body: string;
  signingSecret: string;
  /** The secret a rotation replaced, while its overlap lasts: the request is signed with it too. */
  previousSigningSecret?: string;
  auth: CallbackAuth;
  requiresWhitelisting: boolean;
};

export type DeliveryOptions = EgressOptions & {
  timeoutMs: number;
  now?: Date;
};

/** What happened to one attempt. `retry` may carry the delay the receiver asked for (Retry-After). */
export type AttemptResult = {
  outcome: AttemptOutcome;
  responseStatus: number | null;
  latencyMs: number;
  errorClass: ErrorClass | null;
  errorMessage: string | null;
  responseExcerpt: string | null;
  retryAfterMs: number | null;
  /** The headers sent, with credentials replaced by "[redacted]". */
  requestHeaders: Record<string, string>;
  startedAt: Date;
};

/**
 * Sends one signed, authenticated webhook POST and judges the answer: 2xx succeeds; 410 is gone (turn the
 * callback off); a forbidden address is refused outright; everything else (3xx, other statuses, timeouts,
 * resets, refused connections, TLS errors) is worth a retry. Redirects are never followed, and only the
 * first 2 KB of a response body is read. The address actually connected to is checked, not just the name.
 */
export async function deliverWebhook(req: WebhookRequest, options: DeliveryOptions): Promise<AttemptResult> {
  const startedAt = options.now ?? new Date();
  const headers = buildHeaders(req, startedAt);
  const redacted = redactHeaders(headers, req.auth);
  const started = performance.now();
  // What the receiver sends back is stored and shown: never with one of this callback's secrets in it.
  const secrets = secretForms([
    req.auth.type === "bearer"
      ? req.auth.token
      : req.auth.type === "custom_header"
        ? req.auth.value
        : undefined,
    req.signingSecret,
    req.previousSigningSecret,
  ]);
  const finish = (
    partial: Omit<AttemptResult, "latencyMs" | "requestHeaders" | "startedAt">,
  ): AttemptResult => ({
    ...partial,
    responseExcerpt: partial.responseExcerpt && redactSecrets(partial.responseExcerpt, secrets),
    errorMessage: partial.errorMessage && redactSecrets(partial.errorMessage, secrets),
    latencyMs: Math.round(performance.now() - started),
    requestHeaders: redacted,
    startedAt,
  });

  // What AbortSignal.timeout does (same reason, unref'd timer), at a fraction of its cost per request.
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")),
    options.timeoutMs,
  );
  timer.unref();
  try {
    const dispatcher = await dispatcherFor(req.url, req.requiresWhitelisting, options);
    const response = await request(req.url, {
      method: "POST",
      headers,
      body: req.body,
      dispatcher,
      signal: deadline.signal,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    const excerpt = await readExcerpt(response.body);
    const status = response.statusCode;
    if (status >= 200 && status < 300) {
      return finish({
        outcome: "succeeded",
        responseStatus: status,
        errorClass: null,
        errorMessage: null,
        responseExcerpt: excerpt,
        retryAfterMs: null,
      });
    }
    const base = { responseStatus: status, errorClass: "http_status" as const, responseExcerpt: excerpt };
    if (status === 410) {
      return finish({
        ...base,
        outcome: "gone",
        errorMessage: "The receiver answered 410 Gone: the callback was turned off",
        retryAfterMs: null,
      });
    }
    if (status >= 300 && status < 400) {
      const location = response.headers.location;
      return finish({
        ...base,
        outcome: "retry",
        errorClass: "redirect",
        errorMessage: `The receiver answered ${status} (redirect${location ? ` to ${String(location)}` : ""}); redirects are not followed`,
        retryAfterMs: null,
      });
    }
    const retryAfterMs =
      status === 429 || status === 503 ? parseRetryAfter(response.headers["retry-after"], startedAt) : null;
    return finish({
      ...base,
      outcome: "retry",
      errorMessage: `The receiver answered HTTP ${status}`,
      retryAfterMs,
    });
  } catch (error) {
    const { errorClass, message } = classifyError(error, options.timeoutMs);
    const outcome = errorClass === "forbidden_address" ? "refused" : "retry";
    return finish({
      outcome,
      responseStatus: null,
      errorClass,
      errorMessage: message,
      responseExcerpt: null,
      retryAfterMs: null,
    });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The webhook-signature header: `v1,<sig>` with the current secret, then, during a rotation's overlap, a
 * space and `v1,<sig>` with the previous one (Standard Webhooks lets receivers accept any listed signature).
 */
export function signatureHeader(
  req: Pick<WebhookRequest, "webhookId" | "body" | "signingSecret" | "previousSigningSecret">,
  at: Date,
): string {
  const secrets = req.previousSigningSecret
    ? [req.signingSecret, req.previousSigningSecret]
    : [req.signingSecret];
  return secrets.map((secret) => new Webhook(secret).sign(req.webhookId, at, req.body)).join(" ");
}

function buildHeaders(req: WebhookRequest, at: Date): Record<string, string> {
  const signature = signatureHeader(req, at);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    "webhook-id": req.webhookId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signature,
  };
  if (req.auth.type === "bearer") headers.authorization = `Bearer ${req.auth.token}`;
  if (req.auth.type === "custom_header") headers[req.auth.key.toLowerCase()] = req.auth.value;
  return headers;
}

function redactHeaders(headers: Record<string, string>, auth: CallbackAuth): Record<string, string> {
  const out = { ...headers };
  if (auth.type === "bearer") out.authorization = "Bearer [redacted]";
  if (auth.type === "custom_header") out[auth.key.toLowerCase()] = "[redacted]";
  return out;
}

async function readExcerpt(body: Dispatcher.ResponseData["body"]): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    chunks.push(buffer);
    size += buffer.length;
    if (size >= RESPONSE_EXCERPT_BYTES) break;
  }
  // Leaving the loop early destroys the stream: the rest of a large body is never read.
  if (!body.destroyed) body.destroy();
  if (size === 0) return null;
  // NUL cannot be stored in Postgres text; shown like any other undecodable byte.
  return new TextDecoder("utf-8")
    .decode(Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES))
    .replaceAll("\u0000", "\uFFFD");
}

/** Retry-After as seconds or an HTTP date, capped like every retry delay; null when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: Date): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  const seconds = /^\d+$/.test(text.trim()) ? Number(text.trim()) * 1000 : Date.parse(text) - now.getTime();
  if (!Number.isFinite(seconds)) return null;
  return Math.min(Math.max(seconds, 0), MAX_RETRY_DELAY_MS);
}
