"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import type { ActionResult } from "@/lib/errors";
import { type WorkspaceInput, workspaceSchema } from "@/lib/validations/account";
import { Button } from "../ui/button";
import { Field, inputClass } from "../ui/field";

export function NewWorkspaceForm({
  create,
}: {
  create: (input: WorkspaceInput) => Promise<ActionResult<{ id: string }>>;
}) {
  const { register, handleSubmit, setError, formState } = useForm<WorkspaceInput>({
    resolver: zodResolver(workspaceSchema),
    defaultValues: { name: "" },
  });
  return (
    <form
      method="post"
      noValidate
      className="space-y-4"
      onSubmit={handleSubmit(async (values) => {
        const result = await create(values);
        if (result.ok) window.location.assign("/processes");
        else setError("name", { type: "server", message: result.fieldErrors.name ?? result.message });
      })}
    >
      <Field id="workspace-name" label="Workspace name" error={formState.errors.name?.message}>
        {(control) => (
          <input {...control} {...register("name")} autoComplete="organization" className={inputClass} />
        )}
      </Field>
      <Button type="submit" disabled={formState.isSubmitting} className="w-full">
        {formState.isSubmitting ? "Creating…" : "Create workspace"}
      </Button>
    </form>
  );
}
