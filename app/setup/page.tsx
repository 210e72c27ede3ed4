import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/account/auth-card";
import { OwnerSetupForm } from "@/components/account/owner-setup-form";
import { hasAnyUser } from "@/db/queries/users";
import { MIN_PASSWORD_LENGTH } from "@/lib/validations/account";
import { createOwnerAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Create the owner account" };

/** First run: while nobody has an account, every admin page leads here. */
export default async function SetupPage() {
  if (await hasAnyUser()) redirect("/sign-in");
  return (
    <AuthCard
      title="Create the owner account"
      intro={
        <p>
          Welcome to leadhook. This first account owns the workspace: it can invite admins and viewers
          afterwards. Nobody else can sign up on their own.
        </p>
      }
    >
      <OwnerSetupForm create={createOwnerAction} minPasswordLength={MIN_PASSWORD_LENGTH} />
    </AuthCard>
  );
}
