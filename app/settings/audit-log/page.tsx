import type { Metadata, Route } from "next";
import Link from "next/link";
import { requirePageMember } from "@/auth/member";
import { AuditFilters } from "@/components/audit/audit-filters";
import { auditLogHref, hasFilters, parseAuditSearch } from "@/components/audit/audit-search-params";
import { AuditTable } from "@/components/audit/audit-table";
import { FilterProblems } from "@/components/filters/date-range-fields";
import { listAuditActors, listAuditEntries } from "@/db/queries/audit-log";
import { can } from "@/lib/roles";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit log" };

const linkClass = "text-sm font-medium text-brand-700 hover:underline";

function Heading() {
  return (
    <div>
      <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
      <p className="mt-1 max-w-2xl text-sm text-slate-600">
        Who changed what in this workspace, and every sign-in, newest first. Secrets are never recorded, only
        which fields changed.
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
        <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center">
          <p className="font-medium text-slate-800">
            {filtered
              ? "No entries match these filters"
              : search.cursor
                ? "No older entries"
                : "Nothing recorded yet"}
          </p>
          <p className="mt-1 text-sm text-slate-600">
            {filtered
              ? "Widen the dates or choose Everyone and All actions."
              : "Changes to processes, callbacks, keys and members, and every sign-in, will appear here."}
          </p>
        </div>
      ) : (
        <AuditTable rows={page.entries} />
      )}
      {page.nextCursor || search.cursor ? (
        <nav aria-label="Audit log pages" className="flex flex-wrap items-center gap-4">
          {search.cursor ? (
            <Link href={auditLogHref(search.values) as Route} className={linkClass}>
              Newest
            </Link>
          ) : null}
          {page.nextCursor ? (
            <Link href={auditLogHref(search.values, page.nextCursor) as Route} className={linkClass}>
              Older entries
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
