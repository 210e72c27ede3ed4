"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import type { ActionResult } from "@/lib/errors";
import { type ApiKeyNameInput, apiKeyNameSchema } from "@/lib/validations/api-key";
import { Button } from "../ui/button";
import { Field, inputClass } from "../ui/field";

/** Names and creates an ingest key, then shows it once with a copy button. */
export function CreateApiKeyForm({
  create,
}: {
  create: (input: ApiKeyNameInput) => Promise<ActionResult<{ key: string; id: string }>>;
}) {
  const router = useRouter();
  const [created, setCreated] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [pending, startTransition] = useTransition();
  const { register, handleSubmit, setError, reset, formState } = useForm<ApiKeyNameInput>({
    resolver: zodResolver(apiKeyNameSchema),
    defaultValues: { name: "" },
  });

  return (
    <section
      aria-labelledby="create-key"
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-5"
    >
      <h2 id="create-key" className="text-lg font-semibold">
        Create a key
      </h2>
      <form
        method="post"
        noValidate
        className="flex flex-wrap items-end gap-3"
        onSubmit={handleSubmit((values) =>
          startTransition(async () => {
            const result = await create(values);
            if (!result.ok) {
              setError("name", { message: result.fieldErrors.name ?? result.message });
              return;
            }
            reset();
            // After the await, updates are no longer part of the transition: the key is shown in one that
            // also refreshes the list, so they appear together (never the key beside "No keys yet").
            startTransition(() => {
              setCreated(result.key);
              setCopied(false);
              router.refresh();
            });
          }),
        )}
      >
        <Field
          id="api-key-name"
          label="Key name"
          hint="Where the key is used, e.g. dialer"
          error={formState.errors.name?.message}
          className="w-72"
        >
          {(control) => (
            <input {...control} {...register("name")} autoComplete="off" className={inputClass} />
          )}
        </Field>
        <Button type="submit" disabled={pending} className="mb-5">
          Create key
        </Button>
      </form>
      {created ? (
        <div role="status" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-4">
          <p className="text-sm font-medium text-amber-900">Copy this key now. It will not be shown again.</p>
          <div className="flex flex-wrap items-center gap-2">
            <code
              data-testid="new-api-key"
              className="rounded bg-white px-2 py-1 font-mono text-sm break-all"
            >
              {created}
            </code>
            <Button
              size="sm"
              variant="secondary"
              onClick={async () => {
                await navigator.clipboard.writeText(created).then(
                  () => setCopied(true),
                  () => setCopied(false),
                );
              }}
            >
              {copied ? "Copied" : "Copy"}
            </Button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
