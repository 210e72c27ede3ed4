/** One audit log entry as the Audit log page shows it. */
export type AuditRow = {
  id: string;
  createdAt: Date;
  actorLabel: string;
  action: string;
  targetLabel: string | null;
  details: Record<string, unknown>;
  ipAddress: string | null;
  userAgent: string | null;
};

export type AuditActorOption = { id: string; label: string };
