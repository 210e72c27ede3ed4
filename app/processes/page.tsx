import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { requirePageMember } from "@/auth/member";
import { AutoDisabledBanner } from "@/components/auto-disabled-banner";
import { EmptyList } from "@/components/filters/list-parts";
import { NewProcessForm } from "@/components/new-process-form";
import { ProcessSearch } from "@/components/process-search";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { DateTime } from "@/components/ui/date-time";
import { cellClass, DataTable, rowClass } from "@/components/ui/table";
import { getCallbackHealth, listAutoDisabledCallbacks } from "@/db/queries/callback-health";
import { listProcesses } from "@/db/queries/processes";
import { type CallbackHealth, type ProcessHealth, processHealth } from "@/lib/callback-health";
import { getEnv } from "@/lib/env";
import { plural } from "@/lib/plural";
import { can } from "@/lib/roles";
import { countInvalidCallbacks } from "@/lib/validations/callback";
import { createProcessAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Processes" };

const statusTone = { active: "ok", paused: "warn", archived: "neutral" } as const;
const healthClass: Record<ProcessHealth, string> = {
  OK: "",
  Failing: "font-medium text-red-700",
  Disabled: "font-medium text-amber-800",
};

export default async function ProcessesPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string | string[] }>;
}) {
  const { q } = await searchParams;
  const search = typeof q === "string" ? q : undefined;
  const member = await requirePageMember(
    search ? `/processes?q=${encodeURIComponent(search)}` : "/processes",
  );
  const canWrite = can(member.role, "processes:write");
  const rows = await listProcesses(member.workspace.id, { search });
  const [health, turnedOff] = await Promise.all([
    getCallbackHealth(rows.map((row) => row.id)),
    listAutoDisabledCallbacks(member.workspace.id),
  ]);
  const healthOf = new Map<string, CallbackHealth[]>();
  for (const h of health) healthOf.set(h.processId, [...(healthOf.get(h.processId) ?? []), h]);
  const { ALLOW_PRIVATE_CALLBACK_URLS: allowPrivateUrls, CALLBACK_DISABLE_AFTER: disableAfter } = getEnv();

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Processes</h1>
          <p className="text-sm text-slate-600">
            Calling campaigns and the webhooks that receive their lead updates.
          </p>
        </div>
        {canWrite ? <NewProcessForm create={createProcessAction.bind(null, member.workspace.id)} /> : null}
      </div>
      <AutoDisabledBanner callbacks={turnedOff} period={disableAfter.label} />
      <Suspense>
        <ProcessSearch />
      </Suspense>
      {rows.length === 0 ? (
        <EmptyList>
          {search ? (
            <p className="text-slate-700">
              No process matches “{search}”. Clear the search to see all processes.
            </p>
          ) : (
            <>
              <p className="font-medium text-slate-800">No processes yet</p>
              <p className="mt-1 text-sm text-slate-600">
                {canWrite
                  ? "Type a name above and click New Process, then add Lead Update Callbacks under Advanced Settings."
                  : "An owner or admin of this workspace can create one."}
              </p>
            </>
          )}
        </EmptyList>
      ) : (
        <DataTable
          caption="Processes"
          columns={["Name", "Status", "Lead Update Callbacks", "Last update"]}
          cardsBelow="sm"
        >
          {rows.map((row) => {
            const invalid = countInvalidCallbacks(row.callbacks, { allowPrivateUrls });
            const count = row.callbacks.length;
            const state = processHealth(healthOf.get(row.id) ?? []);
            return (
              <tr key={row.id} className={cn(rowClass("sm"), "hover:bg-slate-50")}>
                <td className={cellClass("sm", "col-span-2")}>
                  <Link href={`/processes/${row.id}`} className="font-medium text-brand-700 hover:underline">
                    {row.name}
                  </Link>
                  <div className="text-xs text-slate-500">{row.language}</div>
                </td>
                <td data-label="Status" className={cellClass("sm")}>
                  <Badge tone={statusTone[row.status]} className="capitalize">
                    {row.status}
                  </Badge>
                </td>
                <td data-label="Lead Update Callbacks" className={cellClass("sm", "text-slate-700")}>
                  {count === 0 ? (
                    "No callbacks"
                  ) : (
                    <>
                      {plural(count, "callback", "callbacks")}
                      {invalid ? " · Errors" : null}
                      {invalid && state === "OK" ? null : (
                        <>
                          {" · "}
                          <span className={healthClass[state]}>{state}</span>
                        </>
                      )}
                    </>
                  )}
                </td>
                <td data-label="Last update" className={cellClass("sm", "col-span-2 text-slate-600")}>
                  <DateTime value={row.updatedAt} />
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </div>
  );
}
