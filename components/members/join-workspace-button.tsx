"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/errors";
import { Button } from "../ui/button";
import { FormAlert } from "../ui/form-alert";

/** Accepting an invitation as the signed-in person it names: one button. */
export function JoinWorkspaceButton({
  workspaceName,
  join,
}: {
  workspaceName: string;
  /** The join action with the invitation's token already bound. */
  join: () => Promise<ActionResult>;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const [joined, setJoined] = useState(false);
  const [pending, startTransition] = useTransition();

  return (
    <div className="space-y-3">
      <FormAlert>{problem}</FormAlert>
      <Button
        className="w-full"
        disabled={pending || joined}
        onClick={() =>
          startTransition(async () => {
            setProblem(null);
            const result = await join();
            if (!result.ok) {
              setProblem(result.message);
              return;
            }
            setJoined(true);
            // A full load: the header (rendered by the layout) must show the new session.
            window.location.assign("/processes");
          })
        }
      >
        Join {workspaceName}
      </Button>
    </div>
  );
}
