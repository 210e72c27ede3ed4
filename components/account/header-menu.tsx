"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { Popover } from "radix-ui";
import { useEffect, useRef, useState } from "react";
import type { ActionResult } from "@/lib/errors";
import { roleLabels } from "@/lib/roles";
import type { HeaderMember } from "./header-member";
import { SignOutButton } from "./sign-out-button";
import { WorkspaceSwitcher } from "./workspace-switcher";

/**
 * The header on a narrow screen: one Menu button that opens the sections, the workspace switcher, the
 * account and Sign out. Radix's popover gives the button aria-expanded and aria-controls, moves focus into
 * the menu, and closes it on Escape or a click outside; following a link closes it too.
 */
export function HeaderMenu({
  member,
  switchWorkspace,
  className,
}: {
  member: HeaderMember;
  switchWorkspace: (workspaceId: string) => Promise<ActionResult>;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const nav = useRef<HTMLElement>(null);
  const pathname = usePathname();
  // A navigation that is not a click on the menu's links (Back, a link on the page) closes it as well.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each new path on purpose
  useEffect(() => setOpen(false), [pathname]);
  const close = () => setOpen(false);
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger
        className={`inline-flex items-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 ${className ?? ""}`}
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="currentColor">
          {open ? (
            <path d="M5.3 4.3a1 1 0 0 0-1.4 1.4L8.6 10l-4.7 4.3a1 1 0 1 0 1.4 1.4L10 11.4l4.7 4.3a1 1 0 0 0 1.4-1.4L11.4 10l4.7-4.3a1 1 0 0 0-1.4-1.4L10 8.6 5.3 4.3Z" />
          ) : (
            <path d="M3 5a1 1 0 0 1 1-1h12a1 1 0 1 1 0 2H4a1 1 0 0 1-1-1Zm0 5a1 1 0 0 1 1-1h12a1 1 0 1 1 0 2H4a1 1 0 0 1-1-1Zm1 4a1 1 0 1 0 0 2h12a1 1 0 1 0 0-2H4Z" />
          )}
        </svg>
        Menu
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={8}
          collisionPadding={16}
          aria-label="Menu"
          // Radix would skip links and focus the workspace select: the first section is where to start.
          onOpenAutoFocus={(event) => {
            event.preventDefault();
            nav.current?.querySelector("a")?.focus({ preventScroll: true });
          }}
          className="z-50 w-[calc(100vw-2rem)] max-w-sm space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-lg"
        >
          <nav aria-label="Main" ref={nav}>
            <ul className="-mx-2 space-y-0.5">
              {member.links.map((l) => (
                <li key={l.href}>
                  <Link
                    href={l.href}
                    onClick={close}
                    aria-current={pathname === l.href ? "page" : undefined}
                    className="block rounded-md px-2 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100 aria-[current=page]:bg-slate-100"
                  >
                    {l.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="space-y-3 border-t border-slate-200 pt-4">
            <WorkspaceSwitcher
              id="workspace-switcher-menu"
              current={member.workspaceId}
              workspaces={member.workspaces}
              canCreate={member.canCreateWorkspace}
              switchTo={switchWorkspace}
            />
            <div className="flex items-center justify-between gap-3">
              <Link
                href="/account"
                onClick={close}
                className="min-w-0 text-sm text-slate-700 hover:text-slate-900"
              >
                <span className="block truncate font-medium">
                  {member.name} <span className="text-slate-400">·</span> {roleLabels[member.role]}
                </span>
                <span className="block truncate text-xs text-slate-500">{member.email}</span>
              </Link>
              <SignOutButton />
            </div>
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
