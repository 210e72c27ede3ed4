import "server-only";
import { and, desc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { AuditAction } from "@/lib/audit";
import { AppError, messages, roleForbids } from "@/lib/errors";
import { can, type Permission, type Role } from "@/lib/roles";
import { auditLog, memberships, users } from "../access-schema";
import { type Executor, getDb } from "../index";
import { decodeKeyset, encodeKeyset, keysetTime, olderThan } from "./keyset";

/** Who is acting, in which workspace, from where: everything an audit entry takes from the request. */
export type AuditContext = {
  workspaceId: string;
  actorId: string | null;
  /** A member's change: the permission their role is checked for again inside the change's transaction. */
  permission?: Permission;
  actorLabel: string;
  ipAddress: string | null;
  userAgent: string | null;
};

export type AuditRecord = {
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  targetLabel?: string;
  details?: Record<string, unknown>;
};

/** "Asha Rao <asha@example.com>": how an actor is named in the log, kept if they are later removed. */
export function actorLabel(user: { name: string; email: string }): string {
  return `${user.name} <${user.email}>`;
}

/** An operator running a script on the server: no account, no address. */
export function operatorContext(workspaceId: string): AuditContext {
  return { workspaceId, actorId: null, actorLabel: "operator (CLI)", ipAddress: null, userAgent: null };
}

/** leadhook itself, turning a callback off: no account, no address. */
export function automaticContext(workspaceId: string): AuditContext {
  return { workspaceId, actorId: null, actorLabel: "leadhook (automatic)", ipAddress: null, userAgent: null };
}

/**
 * The acting member's role, read inside the change's transaction and locked (FOR SHARE) until it commits:
 * a demotion or removal that committed first is seen here, one that comes later waits for this change.
 * Throws not_found for someone no longer a member, forbidden for a role that no longer allows
 * `context.permission`. Operators and leadhook itself (no actor) pass.
 */
export async function lockActorRole(exec: Executor, context: AuditContext): Promise<Role | null> {
  if (!context.actorId) return null;
  const [row] = await exec
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, context.workspaceId), eq(memberships.userId, context.actorId)))
    .for("share");
  if (!row) throw new AppError("not_found", messages.noLongerMember);
  if (context.permission && !can(row.role, context.permission)) throw roleForbids(row.role);
  return row.role;
}

/**
 * Writes entries with the executor of the change they record, so both land or neither does; a member's
 * change is refused (and rolled back with its transaction) when their role no longer allows it.
 */
export async function recordAudit(exec: Executor, context: AuditContext, ...records: AuditRecord[]) {
  if (context.permission) await lockActorRole(exec, context);
  if (records.length === 0) return;
  await exec.insert(auditLog).values(
    records.map((r) => ({
      workspaceId: context.workspaceId,
      actorId: context.actorId,
      actorLabel: context.actorLabel,
      ipAddress: context.ipAddress,
      userAgent: context.userAgent,
      action: r.action,
      targetType: r.targetType ?? null,
      targetId: r.targetId ?? null,
      targetLabel: r.targetLabel ?? null,
      details: r.details ?? {},
    })),
  );
}

/** What a sign-in or password change is recorded as: [when it succeeded, when it failed]. */
const attemptActions = {
  sign_in: ["sign_in.succeeded", "sign_in.failed"],
  password_change: ["password.changed", "password.change_failed"],
  // Only a link that worked is recorded: a forged or expired one names no account it could be trusted for.
  email_verification: ["email.verified", "email.verified"],
} as const satisfies Record<string, readonly [AuditAction, AuditAction]>;

/**
 * A sign-in attempt, recorded in every workspace the person belongs to. An attempt for an email with no
 * account belongs to no workspace: it is kept (workspace empty) but shown on no workspace's page. A
 * failed attempt has no actor (whoever typed it is unknown); the account it named is its target.
 * `kind: "password_change"` records a signed-in person's attempt to change their password the same way
 * (its failures count toward the same hold: the current password is what both guess).
 */
export async function recordSignIn(attempt: {
  email: string;
  userId?: string;
  succeeded: boolean;
  ipAddress: string | null;
  userAgent: string | null;
  kind?: keyof typeof attemptActions;
}) {
  const db = await getDb();
  const [user] = attempt.userId
    ? await db.select().from(users).where(eq(users.id, attempt.userId))
    : await db.select().from(users).where(eq(users.email, attempt.email));
  const [succeededAs, failedAs] = attemptActions[attempt.kind ?? "sign_in"];
  const action: AuditAction = attempt.succeeded ? succeededAs : failedAs;
  // A password change comes from a signed-in session: its actor is known even when it fails.
  const known = attempt.succeeded || attempt.kind === "password_change";
  const base = {
    actorId: known && user ? user.id : null,
    actorLabel: known && user ? actorLabel(user) : "Not signed in",
    ipAddress: attempt.ipAddress,
    userAgent: attempt.userAgent,
    action,
    targetType: "user",
    targetId: user?.id ?? null,
    targetLabel: user?.email ?? attempt.email,
  };
  const workspaceIds = user
    ? (
        await db
          .select({ id: memberships.workspaceId })
          .from(memberships)
          .where(eq(memberships.userId, user.id))
      ).map((m) => m.id)
    : [];
  const rows = workspaceIds.length
    ? workspaceIds.map((workspaceId) => ({ ...base, workspaceId }))
    : [{ ...base, workspaceId: null }];
  await db.insert(auditLog).values(rows);
}

/**
 * Failed sign-ins and password changes naming `email` in the last `minutes`, however many workspaces each
 * was recorded in (one attempt's rows share their transaction's time).
 */
export async function countRecentFailedSignIns(email: string, minutes: number): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ n: sql<number>`count(distinct ${auditLog.createdAt})::int` })
    .from(auditLog)
    .where(
      and(
        inArray(auditLog.action, ["sign_in.failed", "password.change_failed"]),
        eq(auditLog.targetLabel, email.toLowerCase()),
        gte(auditLog.createdAt, sql`now() - make_interval(mins => ${minutes})`),
      ),
    );
  return row?.n ?? 0;
}

export type AuditFilters = {
  actorId?: string;
  action?: AuditAction;
  from?: Date;
  to?: Date;
  /** The `nextCursor` of the page before: entries older than its last one. */
  cursor?: string;
};

const PAGE_SIZE = 50;

/** One page of a workspace's audit log, newest first, and the cursor of the page after it. */
export async function listAuditEntries(workspaceId: string, filters: AuditFilters, limit = PAGE_SIZE) {
  const db = await getDb();
  const conditions = [eq(auditLog.workspaceId, workspaceId)];
  if (filters.actorId) conditions.push(eq(auditLog.actorId, filters.actorId));
  if (filters.action) conditions.push(eq(auditLog.action, filters.action));
  if (filters.from) conditions.push(gte(auditLog.createdAt, filters.from));
  if (filters.to) conditions.push(lte(auditLog.createdAt, filters.to));
  const after = filters.cursor ? decodeKeyset(filters.cursor) : undefined;
  if (after) conditions.push(olderThan(auditLog.createdAt, auditLog.id, after));
  const rows = await db
    .select({ entry: auditLog, createdAtText: keysetTime(auditLog.createdAt) })
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    entries: page.map((r) => r.entry),
    nextCursor:
      rows.length > limit && last ? encodeKeyset({ at: last.createdAtText, id: last.entry.id }) : null,
  };
}

/** Everyone who appears in a workspace's log, for the "Person" filter. */
export async function listAuditActors(workspaceId: string) {
  const db = await getDb();
  return db
    .selectDistinct({ id: auditLog.actorId, label: auditLog.actorLabel })
    .from(auditLog)
    .where(and(eq(auditLog.workspaceId, workspaceId), sql`${auditLog.actorId} is not null`))
    .orderBy(auditLog.actorLabel);
}
