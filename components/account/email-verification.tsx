"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/errors";
import { Button } from "../ui/button";
import { FormAlert } from "../ui/form-alert";

/** "Send verification link" for an unverified email on a server that sends mail. */
export function SendVerificationLink({ send }: { send: () => Promise<ActionResult<{ email: string }>> }) {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  return (
    <div className="space-y-2">
      <Button
        variant="secondary"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await send();
            setProblem(result.ok ? null : result.message);
            setSentTo(result.ok ? result.email : null);
          })
        }
      >
        {pending ? "Sending…" : sentTo ? "Send another link" : "Send verification link"}
      </Button>
      {sentTo ? (
        <p role="status" className="text-sm text-emerald-800">
          Sent to {sentTo}: open the link in it to verify your email.
        </p>
      ) : null}
      <FormAlert>{problem}</FormAlert>
    </div>
  );
}
