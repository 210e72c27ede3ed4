"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/errors";
import { Badge } from "../ui/badge";
import { RowDangerButton } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { DateTime } from "../ui/date-time";
import { cellClass, DataTable, rowClass } from "../ui/table";

const cell = (className?: string) => cellClass("sm", className);

export type ApiKeyRow = {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

/** The workspace's ingest keys, with Revoke (after a confirmation). */
export function ApiKeyList({
  keys,
  revoke,
}: {
  keys: ApiKeyRow[];
  /** Absent for a role that may not manage keys: no Revoke buttons. */
  revoke?: (id: string) => Promise<ActionResult>;
}) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  if (keys.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
        No keys yet. Create one above, or run{" "}
        <code className="font-mono">npm run keys:create -- --name dialer</code>.
      </p>
    );
  }
  return (
    <div className="space-y-2">
      {message ? (
        <p role="alert" className="text-sm text-red-700">
          {message}
        </p>
      ) : null}
      <DataTable
        caption="Ingest keys"
        columns={["Name", "Key", "Created", "Last used", "Status", { label: "Actions", hidden: true }]}
        cardsBelow="sm"
      >
        {keys.map((key) => (
          <tr key={key.id} className={rowClass("sm")}>
            <td className={cell("col-span-2 font-medium wrap-break-word")}>{key.name}</td>
            <td data-label="Key" className={cell("font-mono text-xs")}>
              {key.prefix}…
            </td>
            <td data-label="Created" className={cell("text-slate-600")}>
              <DateTime value={key.createdAt} />
            </td>
            <td data-label="Last used" className={cell("text-slate-600")}>
              {key.lastUsedAt ? <DateTime value={key.lastUsedAt} /> : "Never"}
            </td>
            <td data-label="Status" className={cell()}>
              {key.revokedAt ? <Badge tone="neutral">Revoked</Badge> : <Badge tone="ok">Active</Badge>}
            </td>
            <td className={cell("col-span-2 empty:hidden sm:text-right sm:empty:table-cell")}>
              {key.revokedAt || !revoke ? null : (
                <ConfirmDialog
                  title={`Revoke "${key.name}"?`}
                  description="Producers using this key get 401 from the next request on. This cannot be undone."
                  confirmLabel="Revoke key"
                  onConfirm={() =>
                    startTransition(async () => {
                      const result = await revoke(key.id);
                      setMessage(result.ok ? null : result.message);
                      router.refresh();
                    })
                  }
                  trigger={
                    <RowDangerButton disabled={pending} aria-label={`Revoke ${key.name}`}>
                      Revoke
                    </RowDangerButton>
                  }
                />
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
