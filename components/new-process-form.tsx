"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { useForm } from "react-hook-form";
import type { ActionResult } from "@/lib/errors";
import { type NewProcessInput, newProcessSchema } from "@/lib/validations/process";
import { Button } from "./ui/button";
import { FieldMessage, inputClass } from "./ui/field";

/** "New Process": a name, then straight to the new process's page. */
export function NewProcessForm({
  create,
}: {
  create: (input: NewProcessInput) => Promise<ActionResult<{ id: string }>>;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const { register, handleSubmit, setError, formState } = useForm<NewProcessInput>({
    resolver: zodResolver(newProcessSchema),
    defaultValues: { name: "" },
  });
  const error = formState.errors.name?.message ?? formState.errors.root?.message;

  return (
    <form
      method="post"
      noValidate
      className="flex flex-wrap items-start gap-2"
      onSubmit={handleSubmit((values) =>
        startTransition(async () => {
          const result = await create(values);
          if (result.ok) return router.push(`/processes/${result.id}`);
          setError(result.fieldErrors.name ? "name" : "root", {
            message: result.fieldErrors.name ?? result.message,
          });
        }),
      )}
    >
      <div className="space-y-1">
        <label htmlFor="new-process-name" className="sr-only">
          New process name
        </label>
        <input
          id="new-process-name"
          {...register("name")}
          placeholder="New process name"
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "new-process-error" : undefined}
          className={`${inputClass} w-64`}
        />
        {error ? <FieldMessage id="new-process-error">{error}</FieldMessage> : null}
      </div>
      <Button type="submit" disabled={pending}>
        New Process
      </Button>
    </form>
  );
}
