export const errorStatus = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export type FieldErrors = Record<string, string>;

/** The one error type of leadhook: a code mapped to an HTTP status, a message a person can act on. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fieldErrors?: FieldErrors;

  constructor(code: ErrorCode, message: string, options?: { fieldErrors?: FieldErrors; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = "AppError";
    this.code = code;
    this.fieldErrors = options?.fieldErrors;
  }

  get status(): number {
    return errorStatus[this.code];
  }

  toJSON() {
    const issues = this.fieldErrors
      ? Object.entries(this.fieldErrors).map(([path, message]) => ({ path, message }))
      : undefined;
    return { error: { code: this.code, message: this.message, ...(issues ? { issues } : {}) } };
  }
}

/** The result a server action hands back to its form. */
export type ActionResult<T = Record<never, never>> =
  | ({ ok: true } & T)
  | { ok: false; code: ErrorCode; message: string; fieldErrors: FieldErrors };

/** Turns zod issues into `{ "callbacks.0.url": "message" }`, first message per path. */
export function toFieldErrors(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "root";
    out[key] ??= issue.message;
  }
  return out;
}
