import { and, eq, isNull, sql } from "drizzle-orm";
import { describe, expect } from "vitest";
import type { AuditAction } from "@/lib/audit";
import { test as dbTest } from "@/testing/db-test";
import { auditLog, memberships } from "../access-schema";
import { workspaces } from "../schema";
import {
  type AuditContext,
  type AuditFilters,
  actorLabel,
  listAuditActors,
  listAuditEntries,
  operatorContext,
  recordAudit,
  recordSignIn,
} from "./audit-log";
import { insertUser } from "./users";

const ENTRIES = 120;
const BASE = Date.UTC(2026, 2, 1);
const actions: AuditAction[] = ["process.changed", "callback.added", "key.created", "member.invited"];

/**
 * Entry i: groups of three share one created_at exactly, and each pair of groups is one microsecond apart
 * (finer than a JS Date), so paging has to break ties by id and carry the database's own timestamp.
 */
function micros(i: number): number {
  const group = Math.floor(i / 3);
  return Math.floor(group / 2) * 60_000_000 + (group % 2);
}

function pgTimestamp(us: number): string {
  const whole = new Date(BASE + Math.floor(us / 1000)).toISOString().slice(0, 19).replace("T", " ");
  return `${whole}.${String(us % 1_000_000).padStart(6, "0")}+00`;
}

type Spec = {
  i: number;
  workspace: "main" | "other";
  actor: "asha" | "ravi" | "operator";
  action: AuditAction;
};
const specs: Spec[] = Array.from({ length: ENTRIES }, (_, i) => ({
  i,
  workspace: i % 5 === 4 ? "other" : "main",
  actor: (["asha", "ravi", "asha", "operator"] as const)[i % 4] ?? "asha",
  action: actions[i % actions.length] ?? "process.changed",
}));

type Person = { id: string; name: string; email: string };
/** What the file's log holds: its two workspaces, the people acting in it, and each entry's row id. */
type Log = {
  main: string;
  other: string;
  people: Record<string, Person>;
  /** Entry index (kept in target_id) to its row id. */
  idOf: Map<number, string>;
};

function context(log: Pick<Log, "main" | "other" | "people">, spec: Spec): AuditContext {
  const workspaceId = spec.workspace === "main" ? log.main : log.other;
  const person = log.people[spec.actor];
  if (!person) return operatorContext(workspaceId);
  return {
    workspaceId,
    actorId: person.id,
    actorLabel: actorLabel(person),
    ipAddress: "203.0.113.7",
    userAgent: "test",
  };
}

/** The entries of `specs` as the query must return them: newest first, ties by id descending. */
function expected(idOf: Map<number, string>, filter: (s: Spec) => boolean = () => true): string[] {
  return specs
    .filter((s) => s.workspace === "main" && filter(s))
    .sort((a, b) => {
      const byTime = micros(b.i) - micros(a.i);
      if (byTime) return byTime;
      return (idOf.get(b.i) ?? "") < (idOf.get(a.i) ?? "") ? -1 : 1;
    })
    .map((s) => idOf.get(s.i) ?? "");
}

/** Every entry the filters select, page by page, following nextCursor to the end. */
async function allPages(main: string, filters: Omit<AuditFilters, "cursor">, limit: number) {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await listAuditEntries(main, { ...filters, cursor }, limit);
    expect(page.entries.length).toBeLessThanOrEqual(limit);
    ids.push(...page.entries.map((e) => e.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
  throw new Error("paging did not end");
}

const it = dbTest.extend("log", { scope: "file" }, async ({ db, workspaceId }): Promise<Log> => {
  const main = workspaceId;
  const [second] = await db.insert(workspaces).values({ slug: "audit-other", name: "Other" }).returning();
  const other = second?.id ?? "";
  const people: Record<string, Person> = {};
  people.asha = await insertUser(db, { name: "Asha Rao", email: "asha@example.com", passwordHash: "x" });
  people.ravi = await insertUser(db, { name: "Ravi Iyer", email: "ravi@example.com", passwordHash: "x" });
  for (const spec of specs) {
    await recordAudit(db, context({ main, other, people }, spec), {
      action: spec.action,
      targetType: "test",
      targetId: String(spec.i),
    });
  }
  const moves = specs.map((s) => sql`(${String(s.i)}, ${pgTimestamp(micros(s.i))}::timestamptz)`);
  await db.execute(
    sql`update audit_log set created_at = v.at from (values ${sql.join(moves, sql`, `)}) as v(target, at)
        where audit_log.target_id = v.target`,
  );
  const rows = await db.select({ id: auditLog.id, target: auditLog.targetId }).from(auditLog);
  const idOf = new Map<number, string>();
  for (const row of rows) idOf.set(Number(row.target), row.id);
  expect(idOf.size).toBe(ENTRIES);
  return { main, other, people, idOf };
});

describe("listAuditEntries", () => {
  it("lists a workspace's entries newest first, breaking equal timestamps by id", async ({
    log: { main, idOf },
  }) => {
    const { entries, nextCursor } = await listAuditEntries(main, {}, 500);
    expect(entries.map((e) => e.id)).toEqual(expected(idOf));
    expect(nextCursor).toBeNull();
    expect(entries[0]?.createdAt.getTime()).toBe(BASE + 19 * 60_000);
  });

  it.for([1, 2, 3, 7, 50])(
    "visits every entry exactly once when paging by %i",
    async (limit, { log: { main, idOf } }) => {
      const ids = await allPages(main, {}, limit);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expected(idOf));
    },
  );

  it("gives no cursor when the last page is exactly full", async ({ log: { main, idOf } }) => {
    const total = expected(idOf).length;
    const page = await listAuditEntries(main, {}, total);
    expect(page.entries).toHaveLength(total);
    expect(page.nextCursor).toBeNull();
  });

  it("filters by person", async ({ log: { main, people, idOf } }) => {
    const asha = people.asha?.id;
    expect(await allPages(main, { actorId: asha }, 7)).toEqual(expected(idOf, (s) => s.actor === "asha"));
  });

  it("filters by action", async ({ log: { main, idOf } }) => {
    expect(await allPages(main, { action: "key.created" }, 7)).toEqual(
      expected(idOf, (s) => s.action === "key.created"),
    );
    expect(await allPages(main, { action: "workspace.renamed" }, 7)).toEqual([]);
  });

  it("filters by time, both ends included", async ({ log: { main, idOf } }) => {
    const from = new Date(BASE + 5 * 60_000);
    const to = new Date(BASE + 10 * 60_000);
    const inRange = (s: Spec) => micros(s.i) >= 5 * 60_000_000 && micros(s.i) <= 10 * 60_000_000;
    expect(await allPages(main, { from, to }, 7)).toEqual(expected(idOf, inRange));
    expect(await allPages(main, { from }, 7)).toEqual(expected(idOf, (s) => micros(s.i) >= 5 * 60_000_000));
    expect(await allPages(main, { to }, 7)).toEqual(expected(idOf, (s) => micros(s.i) <= 10 * 60_000_000));
  });

  it("combines filters, each narrowing the others", async ({ log: { main, people, idOf } }) => {
    const [from, to] = [new Date(BASE + 2 * 60_000), new Date(BASE + 15 * 60_000)];
    const inRange = (s: Spec) => micros(s.i) >= 2 * 60_000_000 && micros(s.i) <= 15 * 60_000_000;
    const match = (s: Spec) => s.actor === "asha" && s.action === "key.created" && inRange(s);
    const ids = await allPages(main, { actorId: people.asha?.id, action: "key.created", from, to }, 2);
    expect(ids).toEqual(expected(idOf, match));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThan(
      expected(idOf, (s) => s.actor === "asha" && s.action === "key.created").length,
    );
    expect(ids.length).toBeLessThan(expected(idOf, (s) => s.actor === "asha" && inRange(s)).length);
  });

  it("never shows another workspace's entries", async ({ log: { main, other, idOf } }) => {
    const otherIds = new Set(specs.filter((s) => s.workspace === "other").map((s) => idOf.get(s.i)));
    expect(otherIds.size).toBeGreaterThan(0);
    const ids = await allPages(main, {}, 7);
    expect(ids.some((id) => otherIds.has(id))).toBe(false);
    const { entries } = await listAuditEntries(other, {}, 500);
    expect(entries).toHaveLength(otherIds.size);
    expect(entries.every((e) => e.workspaceId === other)).toBe(true);
  });

  it("starts from the newest entry when the cursor is garbage", async ({ log: { main, idOf } }) => {
    const first = await listAuditEntries(main, {}, 5);
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const garbage = [
      "garbage",
      "",
      "%%%",
      encode(null),
      encode(5),
      encode({ createdAt: "2026-03-01", id: "x" }),
      encode(["2026-03-01 00:00:00+00", "not-a-uuid"]),
      encode(["yesterday", idOf.get(0)]),
      encode(["2026-13-45 25:61:61+00", idOf.get(0)]),
      encode(["2026-02-30 00:00:00+00", idOf.get(0)]),
      encode(["0000-01-01 00:00:00+00", idOf.get(0)]),
    ];
    for (const cursor of garbage) {
      const page = await listAuditEntries(main, { cursor }, 5);
      expect(
        page.entries.map((e) => e.id),
        cursor,
      ).toEqual(first.entries.map((e) => e.id));
    }
  });
});

describe("listAuditActors", () => {
  it("lists the people in a workspace's log once each, never the operator", async ({ log: { main } }) => {
    const actors = await listAuditActors(main);
    expect(actors.map((a) => a.label)).toEqual([
      "Asha Rao <asha@example.com>",
      "Ravi Iyer <ravi@example.com>",
    ]);
  });
});

describe("recordSignIn", () => {
  it("writes one entry in each workspace of the person", async ({ db, log: { main, other, people } }) => {
    const asha = people.asha;
    if (!asha) throw new Error("no asha");
    await db.insert(memberships).values([
      { workspaceId: main, userId: asha.id, role: "admin" },
      { workspaceId: other, userId: asha.id, role: "viewer" },
    ]);
    await recordSignIn({ email: asha.email, succeeded: true, ipAddress: "198.51.100.4", userAgent: "ua" });
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "sign_in.succeeded"), eq(auditLog.actorId, asha.id)));
    expect(rows.map((r) => r.workspaceId).sort()).toEqual([main, other].sort());
    for (const row of rows) {
      expect(row).toMatchObject({ actorLabel: "Asha Rao <asha@example.com>", targetLabel: asha.email });
      expect(row.ipAddress).toBe("198.51.100.4");
    }
  });

  it("keeps an attempt for an unknown email in no workspace", async ({ db }) => {
    await recordSignIn({ email: "nobody@example.com", succeeded: false, ipAddress: null, userAgent: null });
    const rows = await db.select().from(auditLog).where(eq(auditLog.targetLabel, "nobody@example.com"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      workspaceId: null,
      actorId: null,
      actorLabel: "Not signed in",
      action: "sign_in.failed",
    });
    const nowhere = await db.select().from(auditLog).where(isNull(auditLog.workspaceId));
    expect(nowhere).toHaveLength(1);
  });
});
