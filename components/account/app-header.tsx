import Link from "next/link";
import type { ActionResult } from "@/lib/errors";
import { roleLabels } from "@/lib/roles";
import type { HeaderMember } from "./header-member";
import { HeaderMenu } from "./header-menu";
import { SignOutButton } from "./sign-out-button";
import { WorkspaceSwitcher } from "./workspace-switcher";

export type { HeaderMember };

const linkClass = "text-sm font-medium text-slate-700 hover:text-slate-900";

/**
 * The top bar: the sections this member's role may open, the workspace switcher and the account, in one
 * line from 1024 px on; below that they sit in a Menu (HeaderMenu) instead of wrapping into a tall block.
 */
export function AppHeader({
  member,
  switchWorkspace,
}: {
  member: HeaderMember | null;
  switchWorkspace: (workspaceId: string) => Promise<ActionResult>;
}) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl items-center gap-x-6 px-4 py-3 sm:px-6">
        <Link href="/processes" className="text-lg font-bold tracking-tight text-brand-700">
          leadhook
        </Link>
        {member ? (
          <>
            <nav aria-label="Main" className="hidden flex-wrap items-center gap-x-5 gap-y-1 lg:flex">
              {member.links.map((l) => (
                <Link key={l.href} href={l.href} className={linkClass}>
                  {l.label}
                </Link>
              ))}
            </nav>
            <div className="ml-auto hidden flex-wrap items-center gap-3 lg:flex">
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
            <HeaderMenu member={member} switchWorkspace={switchWorkspace} className="ml-auto lg:hidden" />
          </>
        ) : null}
      </div>
    </header>
  );
}
