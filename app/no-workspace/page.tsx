import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getMember, getSignedInUser } from "@/auth/member";
import { AuthCard } from "@/components/account/auth-card";
import { SignOutButton } from "@/components/account/sign-out-button";
import { workspaceCreationOpen } from "@/lib/env";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "No workspace" };

/** Signed in, but a member of no workspace (removed from the last one). */
export default async function NoWorkspacePage() {
  const user = await getSignedInUser();
  if (!user) redirect("/sign-in");
  if (await getMember()) redirect("/processes");
  const open = workspaceCreationOpen();
  return (
    <AuthCard title="You are not in any workspace" intro={`Signed in as ${user.email}.`}>
      <p className="text-sm text-slate-700">
        {open
          ? "Ask an owner or admin of a workspace for an invitation link, or start a workspace of your own."
          : "Ask an owner or admin of a workspace for an invitation link."}
      </p>
      <div className="flex flex-wrap gap-3">
        {open ? (
          <Link
            href="/workspaces/new"
            className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700"
          >
            New workspace
          </Link>
        ) : null}
        <SignOutButton />
      </div>
    </AuthCard>
  );
}
