/** Everything the audit log records, with the words the Audit log page shows for it. */
export const auditActions = {
  "process.created": "Process created",
  "process.changed": "Process changed",
  "process.archived": "Process archived",
  "callback.added": "Callback added",
  "callback.changed": "Callback changed",
  "callback.enabled": "Callback enabled",
  "callback.disabled": "Callback disabled",
  "callback.removed": "Callback removed",
  "secret.revealed": "Signing secret revealed",
  "secret.rotated": "Signing secret rotated",
  "test.sent": "Test sent",
  "event.sample_sent": "Sample event sent",
  "delivery.redelivered": "Redelivered",
  "replay.started": "Replay started",
  "replay.cancelled": "Replay cancelled",
  "key.created": "API key created",
  "key.revoked": "API key revoked",
  "member.invited": "Member invited",
  "invitation.revoked": "Invitation withdrawn",
  "member.joined": "Member joined",
  "member.role_changed": "Role changed",
  "member.removed": "Member removed",
  "workspace.created": "Workspace created",
  "workspace.renamed": "Workspace renamed",
  "user.created": "Account created by an operator",
  "user.password_reset": "Password reset by an operator",
  "sign_in.succeeded": "Signed in",
  "sign_in.failed": "Sign-in failed",
  "password.changed": "Password changed",
  "password.change_failed": "Password change failed",
  "email.verified": "Email verified",
} as const;

export type AuditAction = keyof typeof auditActions;

export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(auditActions, value);
}
