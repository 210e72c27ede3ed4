"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { type Path, useForm } from "react-hook-form";
import type { ActionResult } from "@/lib/errors";
import { type OwnerSetupInput, ownerSetupSchema } from "@/lib/validations/account";
import { Button } from "../ui/button";
import { Field, inputClass } from "../ui/field";
import { FormAlert } from "../ui/form-alert";

const fields: {
  name: Path<OwnerSetupInput>;
  label: string;
  type: string;
  autoComplete: string;
  hint?: string;
}[] = [
  { name: "name", label: "Your name", type: "text", autoComplete: "name" },
  { name: "email", label: "Email", type: "email", autoComplete: "username" },
  { name: "password", label: "Password", type: "password", autoComplete: "new-password" },
  {
    name: "workspaceName",
    label: "Workspace name",
    type: "text",
    autoComplete: "organization",
    hint: "Your company or team, e.g. Acme Lending",
  },
];

export function OwnerSetupForm({
  create,
  minPasswordLength,
}: {
  create: (input: OwnerSetupInput) => Promise<ActionResult>;
  minPasswordLength: number;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<OwnerSetupInput>({
    resolver: zodResolver(ownerSetupSchema),
    defaultValues: { name: "", email: "", password: "", workspaceName: "" },
  });

  const onSubmit = async (values: OwnerSetupInput) => {
    setProblem(null);
    const result = await create(values);
    if (result.ok) {
      window.location.assign("/processes");
      return;
    }
    for (const [path, message] of Object.entries(result.fieldErrors)) {
      setError(path as Path<OwnerSetupInput>, { type: "server", message });
    }
    setProblem(result.message);
  };

  return (
    <form method="post" noValidate onSubmit={handleSubmit(onSubmit)} className="space-y-4">
      {fields.map((f) => (
        <Field
          key={f.name}
          id={f.name}
          label={f.label}
          error={formState.errors[f.name]?.message}
          hint={
            f.name !== "password"
              ? f.hint
              : // The error says the same when the password is too short: one of them at a time.
                formState.errors.password
                ? undefined
                : `At least ${minPasswordLength} characters`
          }
        >
          {(control) => (
            <input
              {...control}
              {...register(f.name)}
              type={f.type}
              autoComplete={f.autoComplete}
              className={inputClass}
            />
          )}
        </Field>
      ))}
      <FormAlert>{problem}</FormAlert>
      <Button type="submit" disabled={formState.isSubmitting} className="w-full">
        {formState.isSubmitting ? "Creating…" : "Create the owner account"}
      </Button>
    </form>
  );
}
