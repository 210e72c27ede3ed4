"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { authClient } from "@/lib/auth-client";
import { type PasswordChangeInput, passwordChangeSchema } from "@/lib/validations/password-change";
import { Button } from "../ui/button";
import { Field, inputClass } from "../ui/field";
import { FormAlert } from "../ui/form-alert";

const fields = [
  { name: "currentPassword", label: "Current password", autoComplete: "current-password" },
  { name: "newPassword", label: "New password", autoComplete: "new-password" },
  { name: "confirmPassword", label: "New password again", autoComplete: "new-password" },
] as const;

/**
 * "Change password" through Better Auth's endpoint, which checks the current password (failures count
 * toward the per-email sign-in hold and are audited) and ends every other session.
 */
export function ChangePasswordForm({ minLength }: { minLength: number }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [changed, setChanged] = useState(false);
  const { register, handleSubmit, setError, reset, formState } = useForm<PasswordChangeInput>({
    resolver: zodResolver(passwordChangeSchema),
    defaultValues: { currentPassword: "", newPassword: "", confirmPassword: "" },
  });
  const { errors, isSubmitting } = formState;

  const onSubmit = async (values: PasswordChangeInput) => {
    setProblem(null);
    setChanged(false);
    const { error } = await authClient.changePassword({
      currentPassword: values.currentPassword,
      newPassword: values.newPassword,
      revokeOtherSessions: true,
    });
    if (!error) {
      reset();
      setChanged(true);
      return;
    }
    if (error.code === "INVALID_PASSWORD") {
      setError("currentPassword", { type: "server", message: "This is not your current password" });
    } else if (error.status === 429) {
      setProblem(error.message ?? "Too many attempts. Try again later.");
    } else if (error.status === 401) {
      setProblem("Your session has ended. Sign in again to change your password.");
    } else {
      setProblem(error.message ?? "The password could not be changed. Try again in a moment.");
    }
  };

  return (
    <form method="post" noValidate onSubmit={handleSubmit(onSubmit)} className="max-w-sm space-y-4">
      {fields.map((f) => (
        <Field
          key={f.name}
          id={f.name}
          label={f.label}
          error={errors[f.name]?.message}
          hint={
            f.name === "newPassword" && !errors.newPassword ? `At least ${minLength} characters` : undefined
          }
        >
          {(control) => (
            <input
              {...control}
              {...register(f.name)}
              type="password"
              autoComplete={f.autoComplete}
              className={inputClass}
            />
          )}
        </Field>
      ))}
      <FormAlert>{problem}</FormAlert>
      {changed ? (
        <p role="status" className="text-sm text-emerald-800">
          Password changed. Your other sessions were signed out.
        </p>
      ) : null}
      <Button type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
