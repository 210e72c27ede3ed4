import type { Metadata } from "next";
import type { ReactNode } from "react";
import { getMember } from "@/auth/member";
import { AppHeader, type HeaderMember } from "@/components/account/app-header";
import { workspaceCreationOpen } from "@/lib/env";
import { can } from "@/lib/roles";
import { switchWorkspaceAction } from "./actions";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "leadhook", template: "%s · leadhook" },
  description: "Lead Update Callbacks for AI calling campaigns",
};

async function headerMember(): Promise<HeaderMember | null> {
  const member = await getMember();
  if (!member) return null;
  const links: HeaderMember["links"] = [
    { href: "/processes", label: "Processes" },
    { href: "/events", label: "Events" },
    { href: "/settings/api-keys", label: "API Keys" },
  ];
  if (can(member.role, "members:invite")) links.push({ href: "/settings/members", label: "Members" });
  if (can(member.role, "audit:read")) links.push({ href: "/settings/audit-log", label: "Audit log" });
  return {
    name: member.user.name,
    email: member.user.email,
    role: member.role,
    workspaceId: member.workspace.id,
    workspaces: member.workspaces.map((w) => ({ id: w.id, name: w.name })),
    canCreateWorkspace: workspaceCreationOpen(),
    links,
  };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        <AppHeader member={await headerMember()} switchWorkspace={switchWorkspaceAction} />
        <main id="main" className="mx-auto max-w-5xl px-4 py-8 sm:px-6">
          {children}
        </main>
      </body>
    </html>
  );
}
