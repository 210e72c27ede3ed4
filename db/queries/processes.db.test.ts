import { describe, expect } from "vitest";
import { isEmpty, seed } from "@/db/seed";
import { countInvalidCallbacks, emptyCallback } from "@/lib/validations/callback";
import { test as dbTest } from "@/testing/db-test";
import { saveProcessSettings } from "./callbacks";
import { createProcess, getProcess, listProcesses } from "./processes";
import { getDefaultWorkspace } from "./workspaces";

/** The default workspace of the file's database, seeded once as `npm run db:seed` does. */
const it = dbTest.extend("workspaceId", { scope: "file" }, async ({ db }) => {
  expect(await isEmpty(db)).toBe(true);
  await seed(db);
  expect(await isEmpty(db)).toBe(false);
  return (await getDefaultWorkspace()).id;
});

describe("getDefaultWorkspace", () => {
  it("returns the one default workspace every time", async ({ workspaceId }) => {
    expect((await getDefaultWorkspace()).id).toBe(workspaceId);
  });
});

describe("listProcesses", () => {
  it("lists the seeded processes by name, with OutReach Plan (hinglish) among them", async ({
    workspaceId,
  }) => {
    const names = (await listProcesses(workspaceId)).map((p) => p.name);
    expect(names).toContain("OutReach Plan (hinglish)");
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" })));
  });

  it("filters by name, ignoring case, and treats % and _ literally", async ({ workspaceId }) => {
    await createProcess({ workspaceId, name: "100% Renewals_Q4" });
    expect((await listProcesses(workspaceId, { search: "OUTREACH" })).map((p) => p.name)).toEqual([
      "OutReach Plan (hinglish)",
    ]);
    expect((await listProcesses(workspaceId, { search: "100%" })).map((p) => p.name)).toEqual([
      "100% Renewals_Q4",
    ]);
    expect(await listProcesses(workspaceId, { search: "%" })).toHaveLength(1);
    expect(await listProcesses(workspaceId, { search: "s_Q" })).toHaveLength(1);
    expect(await listProcesses(workspaceId, { search: "_" })).toHaveLength(1);
  });

  it("reports each process's callbacks with secrets masked, for the OK / Errors summary", async ({
    workspaceId,
  }) => {
    const loan = (await listProcesses(workspaceId, { search: "Loan Renewal" }))[0];
    expect(loan?.callbacks).toHaveLength(1);
    expect(loan?.callbacks[0]).toMatchObject({
      authType: "custom_header",
      authHeaderKey: "X-API-Key",
      authHeaderValue: "",
      storedAuthHeaderValueHint: "••••",
    });
    expect(countInvalidCallbacks(loan?.callbacks ?? [], { allowPrivateUrls: false })).toBe(0);
  });

  it("counts a stored callback as an error once the rules refuse it", async ({ workspaceId }) => {
    const process = await createProcess({ workspaceId, name: "Local Receiver" });
    await saveProcessSettings(workspaceId, process.id, {
      version: 1,
      name: process.name,
      description: "",
      language: "English",
      status: "active",
      callbacks: [{ ...emptyCallback(), url: "http://127.0.0.1:4000/hook" }],
    });
    const [row] = await listProcesses(workspaceId, { search: "Local Receiver" });
    expect(countInvalidCallbacks(row?.callbacks ?? [], { allowPrivateUrls: true })).toBe(0);
    expect(countInvalidCallbacks(row?.callbacks ?? [], { allowPrivateUrls: false })).toBe(1);
  });
});

describe("getProcess", () => {
  // A malformed id never reaches it: the pages answer 404 for one (e2e/events.spec.ts) and actions refuse
  // one as not_found (app/authorization.db.test.ts, auth/action.db.test.ts).
  it("finds a process only in its own workspace", async ({ workspaceId }) => {
    const [first] = await listProcesses(workspaceId);
    expect((await getProcess(workspaceId, first?.id ?? ""))?.name).toBe(first?.name);
    expect(await getProcess("00000000-0000-4000-8000-000000000000", first?.id ?? "")).toBeUndefined();
    expect(await getProcess(workspaceId, "00000000-0000-4000-8000-000000000000")).toBeUndefined();
  });
});
