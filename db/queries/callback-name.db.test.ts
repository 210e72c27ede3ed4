import { and, asc, eq } from "drizzle-orm";
import { describe, expect } from "vitest";
import { getDb } from "@/db/index";
import { emptyCallback } from "@/lib/validations/callback";
import { createProcessSettingsSchema, type ProcessSettingsInput } from "@/lib/validations/process";
import { test as dbTest } from "@/testing/db-test";
import { auditLog } from "../access-schema";
import { type AuditContext, operatorContext } from "./audit-log";
import { getProcessSettings, saveProcessSettings } from "./callbacks";
import { createProcess } from "./processes";
import { revealSigningSecret } from "./signing-secrets";

const schema = createProcessSettingsSchema({ allowPrivateUrls: false });
const URL_A = "https://crm.example.com/hook";
const URL_B = "https://ops.example.com/hook";

/** The operator's context in the default workspace: who makes every change below. */
const it = dbTest.extend("audit", { scope: "file" }, async ({ workspaceId }) => operatorContext(workspaceId));

/** Saves the form's values as the server action does: parsed by the shared schema first. */
async function save(audit: AuditContext, processId: string, input: ProcessSettingsInput) {
  return saveProcessSettings(audit.workspaceId, processId, schema.parse(input), audit);
}

async function entriesFor(workspaceId: string, targetId: string) {
  const db = await getDb();
  return db
    .select({
      action: auditLog.action,
      targetLabel: auditLog.targetLabel,
      details: auditLog.details,
    })
    .from(auditLog)
    .where(and(eq(auditLog.workspaceId, workspaceId), eq(auditLog.targetId, targetId)))
    .orderBy(asc(auditLog.createdAt), asc(auditLog.id));
}

describe("a callback's name", () => {
  it("is saved trimmed, reloaded, labels the audit log and shows in its diff", async ({
    workspaceId,
    audit,
  }) => {
    const process = await createProcess({ workspaceId, name: "Named callbacks" });
    const base = {
      version: 1,
      name: process.name,
      description: "",
      language: "English",
      status: "active" as const,
    };
    const first = await save(audit, process.id, {
      ...base,
      callbacks: [
        { ...emptyCallback(), name: "  CRM sync  ", url: URL_A },
        { ...emptyCallback(), url: URL_B },
      ],
    });
    expect(first.values.callbacks.map((cb) => cb.name)).toEqual(["CRM sync", ""]);

    const loaded = await getProcessSettings(workspaceId, process.id);
    const [crm, ops] = loaded?.values.callbacks ?? [];
    expect(crm?.name).toBe("CRM sync");
    expect(ops?.name).toBe("");
    const crmId = crm?.id as string;
    const opsId = ops?.id as string;
    expect(await entriesFor(workspaceId, crmId)).toEqual([
      expect.objectContaining({
        action: "callback.added",
        targetLabel: `CRM sync (${URL_A})`,
        details: expect.objectContaining({ name: "CRM sync" }),
      }),
    ]);
    expect((await entriesFor(workspaceId, opsId))[0]?.targetLabel).toBe(`Callback 2 (${URL_B})`);

    // Rename one, name the other, and nothing else.
    const callbacks = loaded?.values.callbacks ?? [];
    await save(audit, process.id, {
      ...base,
      version: first.version,
      callbacks: [
        { ...callbacks[0], name: "CRM sync (EU)" } as ProcessSettingsInput["callbacks"][number],
        { ...callbacks[1], name: "Ops" } as ProcessSettingsInput["callbacks"][number],
      ],
    });
    const renamed = (await entriesFor(workspaceId, crmId)).at(-1);
    expect(renamed).toEqual({
      action: "callback.changed",
      targetLabel: `CRM sync (EU) (${URL_A})`,
      details: { fields: ["Name"], name: { from: "CRM sync", to: "CRM sync (EU)" } },
    });
    expect((await entriesFor(workspaceId, opsId)).at(-1)).toEqual({
      action: "callback.changed",
      targetLabel: `Ops (${URL_B})`,
      details: { fields: ["Name"], name: { from: null, to: "Ops" } },
    });

    // Clearing the name stores no name: the label goes back to its place.
    const again = await getProcessSettings(workspaceId, process.id);
    const cleared = await save(audit, process.id, {
      ...base,
      version: again?.process.version as number,
      callbacks: (again?.values.callbacks ?? []).map((cb, i) => (i === 1 ? { ...cb, name: "   " } : cb)),
    });
    expect(cleared.values.callbacks.map((cb) => cb.name)).toEqual(["CRM sync (EU)", ""]);
    expect((await entriesFor(workspaceId, opsId)).at(-1)).toEqual({
      action: "callback.changed",
      targetLabel: `Callback 2 (${URL_B})`,
      details: { fields: ["Name"], name: { from: "Ops", to: null } },
    });

    // Other audit entries about the callback name it too.
    await revealSigningSecret(audit, process.id, crmId);
    expect((await entriesFor(workspaceId, crmId)).at(-1)).toMatchObject({
      action: "secret.revealed",
      targetLabel: `CRM sync (EU) (${URL_A})`,
    });
  });

  it("records nothing when a save leaves the name as it was", async ({ workspaceId, audit }) => {
    const process = await createProcess({ workspaceId, name: "Unchanged name" });
    const base = { name: process.name, description: "", language: "English", status: "active" as const };
    const saved = await save(audit, process.id, {
      ...base,
      version: 1,
      callbacks: [{ ...emptyCallback(), name: "CRM sync", url: URL_A }],
    });
    const id = saved.values.callbacks[0]?.id as string;
    await save(audit, process.id, { ...base, version: saved.version, callbacks: saved.values.callbacks });
    expect((await entriesFor(workspaceId, id)).map((e) => e.action)).toEqual(["callback.added"]);
  });
});
