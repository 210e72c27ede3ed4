import type { Metadata } from "next";
import { requirePageMember } from "@/auth/member";
import { AuditFilters } from "@/components/audit/audit-filters";
import { auditLogHref, hasFilters, parseAuditSearch } from "@/components/audit/audit-search-params";
import { AuditTable } from "@/components/audit/audit-table";
import { FilterProblems } from "@/components/filters/date-range-fields";
import { EmptyListText, ListPager } from "@/components/filters/list-parts";
import { listAuditActors, listAuditEntries } from "@/db/queries/audit-log";
import { getEnv } from "@/lib/env";
import { plural } from "@/lib/plural";
import { can } from "@/lib/roles";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit log" };

function Heading() {
  return (
    <div>
      <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
      <p className="mt-1 max-w-2xl text-sm text-slate-600">
        Who changed what in this workspace, and every sign-in, newest first. Secrets are never recorded, only
        which fields changed. Entries are kept for {plural(getEnv().AUDIT_RETENTION_DAYS, "day", "days")}.
      </p>
    </div>
  );
}

export default async function AuditLogPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const search = parseAuditSearch(await searchParams);
  const member = await requirePageMember(auditLogHref(search.values, search.cursor));
  if (!can(member.role, "audit:read")) {
    return (
      <div className="space-y-6">
        <Heading />
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-700">
          Only owners and admins can read the audit log.
        </p>
      </div>
    );
  }

  const [actors, page] = await Promise.all([
    listAuditActors(member.workspace.id),
    listAuditEntries(member.workspace.id, search.filters),
  ]);
  const filtered = hasFilters(search.values);

  return (
    <div className="space-y-6">
      <Heading />
      <FilterProblems problems={search.problems} />
      {/* Keyed by the query so that Clear or a back navigation resets the form's uncontrolled fields. */}
      <AuditFilters key={auditLogHref(search.values)} values={search.values} actors={actors} />
      {page.entries.length === 0 ? (
        <EmptyListText
          title={
            filtered
              ? "No entries match these filters"
              : search.cursor
                ? "No older entries"
                : "Nothing recorded yet"
          }
          detail={
            filtered
              ? "Widen the dates or choose Everyone and All actions."
              : "Changes to processes, callbacks, keys and members, and every sign-in, will appear here."
          }
        />
      ) : (
        <AuditTable rows={page.entries} />
      )}
      <ListPager
        label="Audit log pages"
        newestHref={search.cursor ? auditLogHref(search.values) : undefined}
        olderHref={page.nextCursor ? auditLogHref(search.values, page.nextCursor) : undefined}
        olderLabel="Older entries"
      />
    </div>
  );
}
