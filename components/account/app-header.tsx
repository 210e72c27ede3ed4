import type { Route } from "next";
import Link from "next/link";
import type { ActionResult } from "@/lib/errors";
import { type Role, roleLabels } from "@/lib/roles";
import { SignOutButton } from "./sign-out-button";
import { WorkspaceSwitcher } from "./workspace-switcher";

export type HeaderMember = {
  name: string;
  email: string;
  role: Role;
  workspaceId: string;
  workspaces: { id: string; name: string }[];
  /** Whether this server lets members start workspaces (WORKSPACE_CREATION). */
  canCreateWorkspace: boolean;
  links: { href: Route; label: string }[];
};

const linkClass = "text-sm font-medium text-slate-700 hover:text-slate-900";

/** The top bar: the sections this member's role may open, the workspace switcher and the account. */
export function AppHeader({
  member,
  switchWorkspace,
}: {
  member: HeaderMember | null;
  switchWorkspace: (workspaceId: string) => Promise<ActionResult>;
}) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/processes" className="text-lg font-bold tracking-tight text-brand-700">
          leadhook
        </Link>
        {member ? (
          <>
            <nav aria-label="Main" className="flex flex-wrap items-center gap-x-5 gap-y-1">
              {member.links.map((l) => (
                <Link key={l.href} href={l.href} className={linkClass}>
                  {l.label}
                </Link>
              ))}
            </nav>
            <div className="ml-auto flex flex-wrap items-center gap-3">
              <WorkspaceSwitcher
                current={member.workspaceId}
                workspaces={member.workspaces}
                canCreate={member.canCreateWorkspace}
                switchTo={switchWorkspace}
              />
              <Link
                href="/account"
                className="text-sm text-slate-600 hover:text-slate-900"
                title={`${member.email}: your account`}
              >
                {member.name} <span className="text-slate-400">·</span> {roleLabels[member.role]}
              </Link>
              <SignOutButton />
            </div>
          </>
        ) : null}
      </div>
    </header>
  );
}
