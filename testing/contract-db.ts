/**
 * The contract suite's hands on the app's database, run as a child process
 * (`tsx --conditions=react-server testing/contract-db.ts <command>`, JSON on stdin and stdout) with the
 * app's DATABASE_URL or DATA_DIR. On PGlite it runs only while the app server is stopped (one process
 * per data directory).
 *
 * - setup:   migrate; create an admin account, an ingest key and processes with callbacks; answer
 *            their ids and secrets
 * - store:   store events without handing them off (as if the server died between the two)
 * - inspect: every delivery, attempt and callback of the given processes
 */

import { hashPassword } from "better-auth/crypto";
import { asc, eq, inArray } from "drizzle-orm";
import { memberships } from "@/db/access-schema";
import { closeDb, getDb } from "@/db/index";
import { migrate } from "@/db/migrate";
import { createApiKey } from "@/db/queries/api-keys";
import { storeEvents } from "@/db/queries/events";
import { getSigningSecret } from "@/db/queries/signing-secrets";
import { insertUser } from "@/db/queries/users";
import { getDefaultWorkspace } from "@/db/queries/workspaces";
import { deliveries, deliveryAttempts, events, leadUpdateCallbacks } from "@/db/schema";
import type { CallbackInput } from "@/lib/validations/callback";
import type { LeadEvent } from "@/lib/validations/event";
import { processWithCallbacks } from "@/testing/fixtures";
import { CONTRACT_ADMIN } from "./contract-account";

export type SetupRequest = { processes: Record<string, Partial<CallbackInput>[]> };
export type SetupResult = {
  key: string;
  processes: Record<string, { id: string; callbacks: { id: string; secret: string }[] }>;
};
export type InspectResult = {
  callbacks: { id: string; processId: string; enabled: boolean; disabledReason: string | null }[];
  deliveries: {
    id: string;
    callbackId: string;
    eventExternalId: string | null;
    status: string;
    attempts: { attemptNumber: number; outcome: string; responseStatus: number | null }[];
  }[];
};

async function setup({ processes }: SetupRequest): Promise<SetupResult> {
  await migrate(await getDb());
  const workspace = await getDefaultWorkspace();
  // The admin the suite signs in as to use the UI (Redeliver, the process page's warnings).
  const admin = await insertUser(await getDb(), {
    name: "Contract Admin",
    email: CONTRACT_ADMIN.email,
    passwordHash: await hashPassword(CONTRACT_ADMIN.password),
  });
  await (await getDb())
    .insert(memberships)
    .values({ workspaceId: workspace.id, userId: admin.id, role: "admin" });
  const result: SetupResult = { key: (await createApiKey(workspace.id, "contract")).key, processes: {} };
  for (const [name, callbacks] of Object.entries(processes)) {
    const created = await processWithCallbacks(`Contract ${name}`, callbacks);
    result.processes[name] = {
      id: created.process.id,
      callbacks: await Promise.all(
        created.callbackIds.map(async (id) => ({
          id,
          secret: await getSigningSecret(workspace.id, created.process.id, id),
        })),
      ),
    };
  }
  return result;
}

async function store({ events: batch }: { events: LeadEvent[] }) {
  const workspace = await getDefaultWorkspace();
  return storeEvents(workspace.id, batch);
}

async function inspect({ processIds }: { processIds: string[] }): Promise<InspectResult> {
  const db = await getDb();
  const callbacks = await db
    .select({
      id: leadUpdateCallbacks.id,
      processId: leadUpdateCallbacks.processId,
      enabled: leadUpdateCallbacks.enabled,
      disabledReason: leadUpdateCallbacks.disabledReason,
    })
    .from(leadUpdateCallbacks)
    .where(inArray(leadUpdateCallbacks.processId, processIds));
  if (!callbacks.length) return { callbacks, deliveries: [] };
  const rows = await db
    .select({
      id: deliveries.id,
      callbackId: deliveries.callbackId,
      eventExternalId: events.externalId,
      status: deliveries.status,
    })
    .from(deliveries)
    .leftJoin(events, eq(events.id, deliveries.eventId))
    .where(
      inArray(
        deliveries.callbackId,
        callbacks.map((c) => c.id),
      ),
    );
  const attempts = rows.length
    ? await db
        .select()
        .from(deliveryAttempts)
        .where(
          inArray(
            deliveryAttempts.deliveryId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(asc(deliveryAttempts.attemptNumber), asc(deliveryAttempts.startedAt))
    : [];
  return {
    callbacks,
    deliveries: rows.map((row) => ({
      ...row,
      attempts: attempts
        .filter((a) => a.deliveryId === row.id)
        .map((a) => ({
          attemptNumber: a.attemptNumber,
          outcome: a.outcome,
          responseStatus: a.responseStatus,
        })),
    })),
  };
}

const commands = { setup, store, inspect } as Record<string, (input: never) => Promise<unknown>>;

async function main() {
  const command = commands[process.argv[2] ?? ""];
  if (!command) throw new Error(`usage: contract-db.ts ${Object.keys(commands).join("|")} < input.json`);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const output = await command(JSON.parse(Buffer.concat(chunks).toString() || "{}") as never);
  process.stdout.write(JSON.stringify(output));
  await closeDb();
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
