"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { authClient } from "@/lib/auth-client";
import { type SignInInput, signInSchema } from "@/lib/validations/account";
import { Button } from "../ui/button";
import { Field, inputClass } from "../ui/field";
import { FormAlert } from "../ui/form-alert";

/** Email and password against Better Auth's rate-limited endpoint; one message for any wrong pair. */
export function SignInForm({ next }: { next: string }) {
  const [problem, setProblem] = useState<string | null>(null);
  const { register, handleSubmit, formState } = useForm<SignInInput>({
    resolver: zodResolver(signInSchema),
    defaultValues: { email: "", password: "" },
  });
  const { errors, isSubmitting } = formState;

  const onSubmit = async (values: SignInInput) => {
    setProblem(null);
    let retryAfter: string | null = null;
    const { error } = await authClient.signIn.email(
      { email: values.email, password: values.password },
      {
        onError: (ctx) => {
          retryAfter = ctx.response.headers.get("X-Retry-After");
        },
      },
    );
    if (!error) {
      // A full load, so every server component renders with the new session.
      window.location.assign(next);
      return;
    }
    if (error.status === 429) {
      // The address limiter says when to retry; the per-email hold explains itself.
      setProblem(
        retryAfter
          ? `Too many sign-in attempts from this address. Try again in ${retryAfter} seconds.`
          : (error.message ?? "Too many sign-in attempts. Try again later."),
      );
    } else if (error.status === 401 || error.status === 400) {
      setProblem("The email or password is not right.");
    } else {
      setProblem("Sign-in is unavailable right now. Try again in a moment.");
    }
  };

  return (
    <form method="post" noValidate onSubmit={handleSubmit(onSubmit)} className="space-y-4">
      <Field id="email" label="Email" error={errors.email?.message}>
        {(control) => (
          <input
            {...control}
            {...register("email")}
            type="email"
            autoComplete="username"
            className={inputClass}
          />
        )}
      </Field>
      <Field id="password" label="Password" error={errors.password?.message}>
        {(control) => (
          <input
            {...control}
            {...register("password")}
            type="password"
            autoComplete="current-password"
            className={inputClass}
          />
        )}
      </Field>
      <FormAlert>{problem}</FormAlert>
      <Button type="submit" disabled={isSubmitting} className="w-full">
        {isSubmitting ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
