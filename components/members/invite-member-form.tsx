"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { type Path, useForm } from "react-hook-form";
import type { ActionResult } from "@/lib/errors";
import { type Role, roleLabels } from "@/lib/roles";
import { type InvitationInput, invitationSchema } from "@/lib/validations/account";
import { Button } from "../ui/button";
import { Field, inputClass } from "../ui/field";
import { FormAlert } from "../ui/form-alert";

/** The link to pass on, or null when leadhook mailed it. */
type Created = { link: string | null; email: string };

/**
 * "Invite a member": with a mail server, leadhook mails the one-time link to the invitee; without one,
 * the link is shown once for the inviter to send themselves.
 */
export function InviteMemberForm({
  roles,
  invitationDays,
  mailed,
  invite,
}: {
  /** The roles this member may hand out, most powerful first. */
  roles: Role[];
  invitationDays: number;
  /** Whether this server mails invitations (SMTP_URL). */
  mailed: boolean;
  invite: (input: InvitationInput) => Promise<ActionResult<Created>>;
}) {
  const router = useRouter();
  const [created, setCreated] = useState<Created | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const defaultRole = roles.at(-1) ?? "viewer";
  const { register, handleSubmit, setError, reset, formState } = useForm<InvitationInput>({
    resolver: zodResolver(invitationSchema),
    defaultValues: { email: "", role: defaultRole },
  });
  const { errors, isSubmitting } = formState;

  const link = created?.link;

  const onSubmit = async (values: InvitationInput) => {
    setProblem(null);
    const result = await invite(values);
    if (!result.ok) {
      const fields = Object.entries(result.fieldErrors).filter(
        ([path]) => path === "email" || path === "role",
      );
      for (const [path, message] of fields) {
        setError(path as Path<InvitationInput>, { type: "server", message });
      }
      if (fields.length === 0 || result.code !== "invalid_request") setProblem(result.message);
      return;
    }
    setCreated({ link: result.link, email: result.email });
    setCopied(false);
    reset({ email: "", role: values.role });
    router.refresh();
  };

  return (
    <section
      aria-labelledby="invite-member"
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-5"
    >
      <h2 id="invite-member" className="text-lg font-semibold">
        Invite a member
      </h2>
      <form
        method="post"
        noValidate
        className="flex flex-wrap items-start gap-3"
        onSubmit={handleSubmit(onSubmit)}
      >
        <Field id="invite-email" label="Email" error={errors.email?.message} className="w-72">
          {(control) => (
            <input
              {...control}
              {...register("email")}
              type="email"
              autoComplete="off"
              className={inputClass}
            />
          )}
        </Field>
        <Field id="invite-role" label="Role" error={errors.role?.message} className="w-40">
          {(control) => (
            <select {...control} {...register("role")} className={inputClass}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {roleLabels[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Button type="submit" disabled={isSubmitting} className="mt-6">
          {mailed
            ? isSubmitting
              ? "Sending…"
              : "Send invitation"
            : isSubmitting
              ? "Creating…"
              : "Create invitation link"}
        </Button>
      </form>
      <FormAlert>{problem}</FormAlert>
      {created && created.link === null ? (
        <p
          role="status"
          className="rounded-md border border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-900"
        >
          Invitation emailed to {created.email}. The link in it works once and expires in {invitationDays}{" "}
          days; invite them again to send a new one.
        </p>
      ) : null}
      {created && link ? (
        <div role="status" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-4">
          <div className="flex flex-wrap items-end gap-2">
            <div className="min-w-0 flex-1 space-y-1">
              <label htmlFor="invitation-link" className="block text-sm font-medium text-slate-800">
                Invitation link
              </label>
              <input
                id="invitation-link"
                readOnly
                value={link}
                onFocus={(event) => event.currentTarget.select()}
                className={`${inputClass} font-mono`}
              />
            </div>
            <Button
              variant="secondary"
              onClick={() =>
                navigator.clipboard.writeText(link).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              {copied ? "Copied" : "Copy"}
            </Button>
          </div>
          <p className="text-sm text-amber-900">
            Send this link to {created.email} only, where only they read it: whoever opens it first joins and
            sets the password of the account for {created.email}. It works once and expires in{" "}
            {invitationDays} days.
          </p>
        </div>
      ) : null}
    </section>
  );
}
