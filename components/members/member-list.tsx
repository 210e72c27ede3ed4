"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/errors";
import { type Role, roleLabels, roles } from "@/lib/roles";
import { Badge } from "../ui/badge";
import { RowDangerButton } from "../ui/button";
import { cn } from "../ui/cn";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { inputClass } from "../ui/field";
import { FormAlert } from "../ui/form-alert";
import { cellClass, DataTable, rowClass } from "../ui/table";

export type MemberRow = {
  userId: string;
  name: string;
  email: string;
  /** Whether they opened a link mailed to that address; undefined where the server sends no mail. */
  emailVerified?: boolean;
  role: Role;
  joined: string;
};

const cell = (className?: string) => cellClass("sm", className);

type Manage = {
  changeRole: (userId: string, role: Role) => Promise<ActionResult<{ role: Role }>>;
  remove: (userId: string) => Promise<ActionResult>;
};

/** The workspace's members; an owner (given `manage`) changes roles in place and removes people. */
export function MemberList({
  members,
  workspaceName,
  manage,
}: {
  members: MemberRow[];
  workspaceName: string;
  /** Absent for a role that may not manage members: roles are shown as text. */
  manage?: Manage;
}) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const run = (work: () => Promise<ActionResult<object>>, onFailure?: () => void) =>
    startTransition(async () => {
      const result = await work();
      setMessage(result.ok ? null : result.message);
      if (!result.ok) onFailure?.();
      router.refresh();
    });

  return (
    <div className="space-y-2">
      <FormAlert>{message}</FormAlert>
      <DataTable
        caption="Members"
        columns={["Name", "Email", "Role", "Joined", { label: "Actions", hidden: true }]}
        cardsBelow="sm"
      >
        {members.map((m) => (
          // Keyed on the role too: a refresh with the saved role resets the row's local choice.
          <tr key={`${m.userId}:${m.role}`} className={rowClass("sm")}>
            <td className={cell("col-span-2 font-medium wrap-break-word")}>{m.name}</td>
            <td data-label="Email" className={cell("col-span-2 text-slate-600 wrap-anywhere")}>
              {m.email}
              {m.emailVerified === false ? (
                <Badge
                  tone="warn"
                  className="ml-2"
                  title="They have not opened a link mailed to this address"
                >
                  Not verified
                </Badge>
              ) : null}
            </td>
            <td data-label="Role" className={cell()}>
              {manage ? (
                <RoleSelect
                  member={m}
                  disabled={pending}
                  onChange={(role, revert) => run(() => manage.changeRole(m.userId, role), revert)}
                />
              ) : (
                roleLabels[m.role]
              )}
            </td>
            <td data-label="Joined" className={cell("text-slate-600")}>
              {m.joined}
            </td>
            {manage ? (
              <td className={cell("col-span-2 sm:text-right")}>
                <ConfirmDialog
                  title={`Remove ${m.name}?`}
                  description={`${m.name} (${m.email}) loses access to ${workspaceName} at once. Their account stays; invite them again to bring them back.`}
                  confirmLabel="Remove member"
                  onConfirm={() => run(() => manage.remove(m.userId))}
                  trigger={
                    <RowDangerButton disabled={pending} aria-label={`Remove ${m.name}`}>
                      Remove
                    </RowDangerButton>
                  }
                />
              </td>
            ) : null}
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

function RoleSelect({
  member,
  disabled,
  onChange,
}: {
  member: MemberRow;
  disabled: boolean;
  onChange: (role: Role, revert: () => void) => void;
}) {
  const [role, setRole] = useState<Role>(member.role);
  const id = `role-${member.userId}`;
  return (
    <>
      <label htmlFor={id} className="sr-only">
        Role for {member.name}
      </label>
      <select
        id={id}
        value={role}
        disabled={disabled}
        // At least 8rem: inputClass fills the cell, which a narrow table squeezed to a bare chevron.
        className={cn(inputClass, "min-w-32")}
        onChange={(event) => {
          const next = event.target.value as Role;
          setRole(next);
          onChange(next, () => setRole(member.role));
        }}
      >
        {roles.map((r) => (
          <option key={r} value={r}>
            {roleLabels[r]}
          </option>
        ))}
      </select>
    </>
  );
}
