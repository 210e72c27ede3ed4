import { createServer } from "node:http";
import { and, asc, eq } from "drizzle-orm";
import { describe, expect } from "vitest";
import { auditLog } from "@/db/access-schema";
import type { Database } from "@/db/index";
import { getProcessSettings } from "@/db/queries/callbacks";
import { emptyCallback } from "@/lib/validations/callback";
import type { ProcessSettingsInput } from "@/lib/validations/process";
import { test as dbTest } from "@/testing/db-test";
import {
  revealSigningSecretAction,
  rotateSigningSecretAction,
  saveProcessSettingsAction,
} from "./processes/[id]/actions";
import { redeliverAction, sendTestAction } from "./processes/[id]/delivery-actions";
import { createProcessAction } from "./processes/actions";
import { createApiKeyAction, revokeApiKeyAction } from "./settings/api-keys/actions";

// What an admin does on the process and API Keys pages, each change recorded once by the action that
// made it: who, what, which fields; never a secret's value.
const SECRET_TOKEN = "tok_live_do_not_log_me";
const SECRET_VALUE = "auth-value-do-not-log-me";

const it = dbTest
  /** Where the callbacks point: a server that answers every request 200. */
  .extend(
    "receiverUrl",
    { scope: "file" },
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
    async ({}, { onCleanup }) => {
      const server = createServer((_, res) => res.writeHead(200).end("ok"));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
      return `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
    },
  )
  /** The one admin whose work both tests audit (an admin of the default workspace). */
  .extend("admin", { scope: "file" }, async ({ members }) => {
    const user = await members.makeUser("Audited Admin");
    await members.addMember(user.id, "admin");
    return user;
  })
  /** That admin, signed in for the test. */
  .extend("signedIn", async ({ admin, request }) => {
    await request.actAs(admin.email);
  })
  /** The process the first test makes and the second changes again. */
  .extend("audited", { scope: "file" }, { processId: "" });

it.beforeAll(() => {
  process.env.ALLOW_PRIVATE_CALLBACK_URLS = "true";
});

it.afterAll(() => {
  delete process.env.ALLOW_PRIVATE_CALLBACK_URLS;
});

async function entries(db: Database, workspaceId: string) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.workspaceId, workspaceId)))
    .orderBy(asc(auditLog.createdAt), asc(auditLog.id));
}

async function current(workspaceId: string, processId: string): Promise<ProcessSettingsInput> {
  const settings = await getProcessSettings(workspaceId, processId);
  if (!settings) throw new Error("process vanished");
  return settings.values;
}

describe("the audit trail of an admin's work", () => {
  it("records each change with its actor, and names fields rather than secret values", async ({
    db,
    workspaceId,
    receiverUrl,
    signedIn: _,
    audited,
  }) => {
    const created = await createProcessAction(workspaceId, { name: "Audited Process" });
    if (!created.ok) throw new Error(created.message);
    const processId = created.id;
    audited.processId = processId;

    const cb = { ...emptyCallback(), url: receiverUrl };
    let saved = await saveProcessSettingsAction(workspaceId, processId, {
      ...(await current(workspaceId, processId)),
      callbacks: [
        { ...cb, authType: "bearer", bearerToken: SECRET_TOKEN },
        {
          ...cb,
          url: `${receiverUrl}/two`,
          authType: "custom_header",
          authHeaderKey: "X-Key",
          authHeaderValue: SECRET_VALUE,
        },
      ],
    });
    expect(saved.ok).toBe(true);
    const [first, second] = (await current(workspaceId, processId)).callbacks;
    const firstId = first?.id as string;

    saved = await saveProcessSettingsAction(workspaceId, processId, {
      ...(await current(workspaceId, processId)),
      description: "Now described",
      callbacks: [
        {
          ...(first as typeof cb),
          url: `${receiverUrl}/moved`,
          bearerToken: `${SECRET_TOKEN}_2`,
          enabled: false,
        },
      ],
    });
    expect(saved.ok).toBe(true);
    expect(second?.id).toBeTruthy();
    saved = await saveProcessSettingsAction(workspaceId, processId, {
      ...(await current(workspaceId, processId)),
      status: "archived",
    });
    expect(saved.ok).toBe(true);
    saved = await saveProcessSettingsAction(workspaceId, processId, {
      ...(await current(workspaceId, processId)),
      status: "active",
      callbacks: (await current(workspaceId, processId)).callbacks.map((c) => ({ ...c, enabled: true })),
    });
    expect(saved.ok).toBe(true);

    expect(await revealSigningSecretAction(workspaceId, processId, firstId)).toMatchObject({ ok: true });
    expect(await rotateSigningSecretAction(workspaceId, processId, firstId)).toMatchObject({ ok: true });
    const test = await sendTestAction(workspaceId, processId, firstId);
    expect(test).toMatchObject({ ok: true });
    const { deliveries } = await import("@/db/schema");
    const [delivery] = await db.select().from(deliveries).where(eq(deliveries.callbackId, firstId));
    expect(await redeliverAction(workspaceId, processId, firstId, delivery?.id as string)).toMatchObject({
      ok: true,
    });
    const key = await createApiKeyAction(workspaceId, { name: "dialer" });
    if (!key.ok) throw new Error(key.message);
    expect(await revokeApiKeyAction(workspaceId, key.id)).toMatchObject({ ok: true });

    const log = await entries(db, workspaceId);
    // One save's entries share its transaction's time, so their order among themselves is not kept.
    const actions = log.filter((e) => e.action !== "sign_in.succeeded").map((e) => e.action);
    expect(actions.sort()).toEqual(
      [
        "process.created",
        "callback.added",
        "callback.added",
        "process.changed",
        "callback.changed",
        "callback.disabled",
        "callback.removed",
        "process.archived",
        "process.changed",
        "callback.enabled",
        "secret.revealed",
        "secret.rotated",
        "test.sent",
        "delivery.redelivered",
        "key.created",
        "key.revoked",
      ].sort(),
    );
    expect(new Set(log.map((e) => e.actorLabel))).toEqual(
      new Set([expect.stringContaining("Audited Admin")]),
    );
    expect(log.filter((e) => !e.action.startsWith("sign_in")).every((e) => e.ipAddress === "127.0.0.1")).toBe(
      true,
    );

    const changed = log.find((e) => e.action === "callback.changed");
    expect(changed?.details).toMatchObject({
      fields: ["Lead Update URL", "Bearer Token"],
      url: { from: receiverUrl, to: `${receiverUrl}/moved` },
    });
    expect(log.find((e) => e.action === "process.changed")?.details).toMatchObject({
      fields: ["description"],
    });
    const everything = JSON.stringify(log);
    expect(everything).not.toContain(SECRET_TOKEN);
    expect(everything).not.toContain(SECRET_VALUE);
    expect(everything).not.toContain("whsec_");
  });

  it("records nothing when a change is refused", async ({
    db,
    workspaceId,
    signedIn: _,
    audited: { processId },
  }) => {
    const before = (await entries(db, workspaceId)).length;
    const refused = await saveProcessSettingsAction(workspaceId, processId, {
      ...(await current(workspaceId, processId)),
      version: 1,
      name: "Stale",
    });
    expect(refused).toMatchObject({ ok: false, code: "conflict" });
    expect(await revokeApiKeyAction(workspaceId, "00000000-0000-4000-8000-000000000000")).toMatchObject({
      ok: false,
    });
    expect((await entries(db, workspaceId)).length).toBe(before);
  });
});
