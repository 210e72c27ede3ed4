"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { ActionResult } from "@/lib/errors";
import { type WorkspaceInput, workspaceSchema } from "@/lib/validations/account";
import { Button } from "../ui/button";
import { Field, inputClass } from "../ui/field";

/** The owner's "Workspace name" form: renames the workspace everyone in it sees. */
export function WorkspaceNameForm({
  name,
  rename,
}: {
  name: string;
  rename: (input: WorkspaceInput) => Promise<ActionResult<{ name: string }>>;
}) {
  const router = useRouter();
  const [saved, setSaved] = useState(false);
  const { register, handleSubmit, setError, reset, formState } = useForm<WorkspaceInput>({
    resolver: zodResolver(workspaceSchema),
    defaultValues: { name },
  });

  return (
    <form
      method="post"
      noValidate
      className="flex flex-wrap items-end gap-3"
      onSubmit={handleSubmit(async (values) => {
        setSaved(false);
        const result = await rename(values);
        if (!result.ok) {
          setError("name", { type: "server", message: result.fieldErrors.name ?? result.message });
          return;
        }
        reset({ name: result.name });
        setSaved(true);
        router.refresh();
      })}
    >
      <Field
        id="workspace-name"
        label="Workspace name"
        error={formState.errors.name?.message}
        className="w-80"
      >
        {(control) => (
          <input {...control} {...register("name")} autoComplete="organization" className={inputClass} />
        )}
      </Field>
      <Button type="submit" variant="secondary" disabled={formState.isSubmitting || !formState.isDirty}>
        {formState.isSubmitting ? "Saving…" : "Rename"}
      </Button>
      {saved && !formState.isDirty ? (
        <p role="status" className="pb-2 text-sm text-emerald-700">
          Saved
        </p>
      ) : null}
    </form>
  );
}
