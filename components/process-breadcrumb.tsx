import type { Route } from "next";
import Link from "next/link";

/** "Processes / <process>" on a process's page, or "Processes / <process> / <section>" on one of its pages. */
export function ProcessBreadcrumb({
  process,
  section,
}: {
  process: { id: string; name: string };
  section?: string;
}) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
      <Link href="/processes" className="hover:underline">
        Processes
      </Link>{" "}
      /{" "}
      {section ? (
        <>
          <Link href={`/processes/${process.id}` as Route} className="break-words hover:underline">
            {process.name}
          </Link>{" "}
          / <span aria-current="page">{section}</span>
        </>
      ) : (
        <span aria-current="page">{process.name}</span>
      )}
    </nav>
  );
}
