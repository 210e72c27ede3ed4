"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { type Path, useForm } from "react-hook-form";
import type { ActionResult } from "@/lib/errors";
import { type NewMemberInput, newMemberSchema } from "@/lib/validations/account";
import { Button } from "../ui/button";
import { Field, inputClass } from "../ui/field";
import { FormAlert } from "../ui/form-alert";

/** Accepting an invitation as someone new: name and password; the email is the invitation's. */
export function NewMemberForm({
  accept,
  minPasswordLength,
}: {
  /** The accept action with the invitation's token already bound. */
  accept: (input: NewMemberInput) => Promise<ActionResult>;
  minPasswordLength: number;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const [joined, setJoined] = useState(false);
  const { register, handleSubmit, setError, formState } = useForm<NewMemberInput>({
    resolver: zodResolver(newMemberSchema),
    defaultValues: { name: "", password: "" },
  });
  const { errors, isSubmitting } = formState;

  const onSubmit = async (values: NewMemberInput) => {
    setProblem(null);
    const result = await accept(values);
    if (result.ok) {
      setJoined(true);
      // A full load: the header (rendered by the layout) must show the new session.
      window.location.assign("/processes");
      return;
    }
    const fields = Object.entries(result.fieldErrors).filter(
      ([path]) => path === "name" || path === "password",
    );
    for (const [path, message] of fields) {
      setError(path as Path<NewMemberInput>, { type: "server", message });
    }
    if (fields.length === 0) setProblem(result.message);
  };

  return (
    <form method="post" noValidate onSubmit={handleSubmit(onSubmit)} className="space-y-4">
      <Field id="name" label="Name" error={errors.name?.message}>
        {(control) => <input {...control} {...register("name")} autoComplete="name" className={inputClass} />}
      </Field>
      <Field
        id="password"
        label="Password"
        hint={errors.password ? undefined : `At least ${minPasswordLength} characters`}
        error={errors.password?.message}
      >
        {(control) => (
          <input
            {...control}
            {...register("password")}
            type="password"
            autoComplete="new-password"
            className={inputClass}
          />
        )}
      </Field>
      <FormAlert>{problem}</FormAlert>
      <Button type="submit" disabled={isSubmitting || joined} className="w-full">
        {isSubmitting || joined ? "Creating your account…" : "Create account and join"}
      </Button>
    </form>
  );
}
