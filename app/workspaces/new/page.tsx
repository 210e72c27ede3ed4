import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSignedInUser } from "@/auth/member";
import { AuthCard } from "@/components/account/auth-card";
import { NewWorkspaceForm } from "@/components/account/new-workspace-form";
import { workspaceCreationOpen } from "@/lib/env";
import { messages } from "@/lib/errors";
import { createWorkspaceAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "New workspace" };

export default async function NewWorkspacePage() {
  if (!(await getSignedInUser())) redirect("/sign-in?next=/workspaces/new");
  if (!workspaceCreationOpen()) {
    return (
      <AuthCard title="New workspace" intro={messages.workspaceCreationClosed}>
        <Link href="/processes" className="text-sm font-medium text-brand-700 hover:underline">
          Back to your workspace
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="New workspace"
      intro="A workspace holds its own processes, callbacks, API keys and members. You will be its owner."
    >
      <NewWorkspaceForm create={createWorkspaceAction} />
    </AuthCard>
  );
}
