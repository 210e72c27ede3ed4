"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/errors";

type Props = {
  /** The select's id: the header's menu holds a second switcher beside the inline one. */
  id?: string;
  current: string;
  workspaces: { id: string; name: string }[];
  canCreate: boolean;
  switchTo: (workspaceId: string) => Promise<ActionResult>;
};

const NEW = "__new__";

/** Which workspace the pages show; "New workspace…" starts another. */
export function WorkspaceSwitcher({
  id = "workspace-switcher",
  current,
  workspaces,
  canCreate,
  switchTo,
}: Props) {
  const [pending, startTransition] = useTransition();
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="sr-only">
        Workspace
      </label>
      <select
        id={id}
        value={current}
        disabled={pending}
        className="max-w-48 truncate rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
        onChange={(e) => {
          const chosen = e.target.value;
          if (chosen === NEW) return window.location.assign("/workspaces/new");
          startTransition(async () => {
            const result = await switchTo(chosen);
            if (result.ok) window.location.assign("/processes");
            else setProblem(result.message);
          });
        }}
      >
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
        {canCreate ? <option value={NEW}>New workspace…</option> : null}
      </select>
      {problem ? (
        <span role="alert" className="text-xs text-red-700">
          {problem}
        </span>
      ) : null}
    </div>
  );
}
