import type { Metadata, Route } from "next";
import { redirect } from "next/navigation";
import { getSignedInUser } from "@/auth/member";
import { AuthCard } from "@/components/account/auth-card";
import { SignInForm } from "@/components/account/sign-in-form";
import { hasAnyUser } from "@/db/queries/users";
import { safeNextPath } from "@/lib/safe-next";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const next = safeNextPath((await searchParams).next);
  if (!(await hasAnyUser())) redirect("/setup");
  if (await getSignedInUser()) redirect(next as Route);
  return (
    <AuthCard
      title="Sign in to leadhook"
      footer="No account? People join by invitation: ask an owner or admin of your workspace for a link."
    >
      <SignInForm next={next} />
    </AuthCard>
  );
}
