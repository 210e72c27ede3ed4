export const errorStatus = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** What leadhook says in more than one place, written once. */
export const messages = {
  fixErrors: "Fix the errors below.",
  fixErrorsBeforeSaving: "Fix the errors below before saving.",
  sessionEnded: "Your session has ended. Sign in again to continue.",
  processGone: "This process no longer exists.",
  callbackGone: "This callback no longer exists. Reload the page.",
  notAMember: "This person is not a member of this workspace.",
  invitationSpent: "This invitation was already used or withdrawn.",
  invitationLinkInvalid: "This invitation link is not valid.",
  ownerExists: "The owner account already exists. Sign in instead.",
  noLongerMember: "This workspace does not exist, or you are no longer a member of it. Reload the page.",
  workspaceCreationClosed:
    "On this server new workspaces are created by its operator: ask your administrator, or an owner of a workspace for an invitation.",
} as const;
export type FieldErrors = Record<string, string>;

/** A member whose role does not allow what they tried. */
export function roleForbids(role: string): AppError {
  return new AppError("forbidden", `Your role (${role}) cannot do this. Ask an owner or admin.`);
}

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
