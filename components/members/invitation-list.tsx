"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/errors";
import { type Role, roleLabels } from "@/lib/roles";
import { RowDangerButton } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { FormAlert } from "../ui/form-alert";
import { cellClass, DataTable, rowClass } from "../ui/table";

const cell = (className?: string) => cellClass("sm", className);

export type InvitationRow = {
  id: string;
  email: string;
  role: Role;
  invitedBy: string | null;
  expires: string;
  /** Whether this member may withdraw it (an admin cannot withdraw an owner's invitation). */
  canWithdraw: boolean;
};

/** Links sent but not used yet, with Withdraw (after a confirmation). */
export function InvitationList({
  invitations,
  revoke,
}: {
  invitations: InvitationRow[];
  revoke: (id: string) => Promise<ActionResult>;
}) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  if (invitations.length === 0) {
    return <p className="text-sm text-slate-600">No pending invitations.</p>;
  }
  return (
    <div className="space-y-2">
      <FormAlert>{message}</FormAlert>
      <DataTable
        caption="Pending invitations"
        columns={["Email", "Role", "Invited by", "Expires", { label: "Actions", hidden: true }]}
        cardsBelow="sm"
      >
        {invitations.map((i) => (
          <tr key={i.id} className={rowClass("sm")}>
            <td className={cell("col-span-2 font-medium wrap-anywhere")}>{i.email}</td>
            <td data-label="Role" className={cell()}>
              {roleLabels[i.role]}
            </td>
            <td data-label="Invited by" className={cell("text-slate-600 wrap-break-word")}>
              {i.invitedBy ?? "Someone since removed"}
            </td>
            <td data-label="Expires" className={cell("col-span-2 text-slate-600")}>
              {i.expires}
            </td>
            <td className={cell("col-span-2 empty:hidden sm:text-right sm:empty:table-cell")}>
              {i.canWithdraw ? (
                <ConfirmDialog
                  title={`Withdraw the invitation for ${i.email}?`}
                  description="The link stops working at once. You can invite them again later."
                  confirmLabel="Withdraw invitation"
                  onConfirm={() =>
                    startTransition(async () => {
                      const result = await revoke(i.id);
                      setMessage(result.ok ? null : result.message);
                      router.refresh();
                    })
                  }
                  trigger={
                    <RowDangerButton disabled={pending} aria-label={`Withdraw invitation for ${i.email}`}>
                      Withdraw
                    </RowDangerButton>
                  }
                />
              ) : null}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
