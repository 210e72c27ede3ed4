import "server-only";
import { and, asc, eq, ilike, sql } from "drizzle-orm";
import type { CallbackInput } from "@/lib/validations/callback";
import type { ProcessStatus } from "@/lib/validations/process";
import { type Executor, getDb } from "../index";
import { leadUpdateCallbacks, type Process, processes } from "../schema";
import { type AuditContext, recordAudit } from "./audit-log";

export type ProcessSummary = Pick<
  Process,
  "id" | "name" | "description" | "language" | "status" | "updatedAt"
>;

/** Processes of a workspace by name, each with its callbacks (secrets masked) for a health summary. */
export async function listProcesses(
  workspaceId: string,
  options: { search?: string } = {},
): Promise<(ProcessSummary & { callbacks: CallbackInput[] })[]> {
  const db = await getDb();
  const search = options.search?.trim();
  const conditions = [eq(processes.workspaceId, workspaceId)];
  if (search) conditions.push(ilike(processes.name, `%${escapeLike(search)}%`));
  const rows = await db
    .select({
      id: processes.id,
      name: processes.name,
      description: processes.description,
      language: processes.language,
      status: processes.status,
      updatedAt: processes.updatedAt,
    })
    .from(processes)
    .where(and(...conditions))
    .orderBy(asc(processes.name), asc(processes.id));
  if (rows.length === 0) return [];

  const callbackRows = await db
    .select({
      processId: leadUpdateCallbacks.processId,
      id: leadUpdateCallbacks.id,
      url: leadUpdateCallbacks.url,
      payloadFormat: leadUpdateCallbacks.payloadFormat,
      requiresWhitelisting: leadUpdateCallbacks.requiresWhitelisting,
      authType: leadUpdateCallbacks.authType,
      hasBearerToken: sql<boolean>`${leadUpdateCallbacks.bearerTokenEncrypted} is not null`,
      authHeaderKey: leadUpdateCallbacks.authHeaderKey,
      hasAuthHeaderValue: sql<boolean>`${leadUpdateCallbacks.authHeaderValueEncrypted} is not null`,
      enabled: leadUpdateCallbacks.enabled,
    })
    .from(leadUpdateCallbacks)
    .innerJoin(processes, eq(processes.id, leadUpdateCallbacks.processId))
    .where(and(...conditions))
    .orderBy(asc(leadUpdateCallbacks.position));
  const byProcess = new Map<string, CallbackInput[]>();
  for (const { processId, hasBearerToken, hasAuthHeaderValue, authHeaderKey, ...row } of callbackRows) {
    const list = byProcess.get(processId) ?? [];
    // Secrets stay encrypted here: a bare mask says a stored one exists, which is all validation needs.
    list.push({
      ...row,
      bearerToken: "",
      storedBearerTokenHint: hasBearerToken ? "••••" : null,
      authHeaderKey: authHeaderKey ?? "",
      authHeaderValue: "",
      storedAuthHeaderValueHint: hasAuthHeaderValue ? "••••" : null,
    });
    byProcess.set(processId, list);
  }
  return rows.map((row) => ({ ...row, callbacks: byProcess.get(row.id) ?? [] }));
}

/**
 * One process of the workspace, or undefined when it does not exist there. `processId` is a UUID: actions
 * parse theirs (idArg), the /processes/[id] pages read theirs with uuidParam and answer 404 for anything else.
 */
export async function getProcess(workspaceId: string, processId: string): Promise<Process | undefined> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(processes)
    .where(and(eq(processes.id, processId), eq(processes.workspaceId, workspaceId)));
  return row;
}

export async function createProcess(
  input: {
    workspaceId: string;
    name: string;
    description?: string;
    language?: string;
    status?: ProcessStatus;
  },
  db?: Executor,
  audit?: AuditContext,
): Promise<Process> {
  const exec = db ?? (await getDb());
  return exec.transaction(async (tx) => {
    const [row] = await tx.insert(processes).values(input).returning();
    if (!row) throw new Error("Insert returned no row");
    if (audit) {
      await recordAudit(tx, audit, {
        action: "process.created",
        targetType: "process",
        targetId: row.id,
        targetLabel: row.name,
      });
    }
    return row;
  });
}

/** `value` as a LIKE pattern matching it literally (its %, _ and backslash escaped). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
