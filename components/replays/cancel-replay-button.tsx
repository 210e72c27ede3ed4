"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/errors";
import { RowDangerButton } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";

/** Cancels a running replay after asking; what it already sent stays sent. */
export function CancelReplayButton({
  replayId,
  cancel,
}: {
  replayId: string;
  cancel: (replayId: string) => Promise<ActionResult>;
}) {
  const router = useRouter();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, startBusy] = useTransition();
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <ConfirmDialog
        trigger={<RowDangerButton disabled={busy}>{busy ? "Cancelling…" : "Cancel replay"}</RowDangerButton>}
        title="Cancel this replay?"
        description="It queues nothing more, and the deliveries it queued but has not sent yet are not sent. Deliveries already sent stay sent."
        confirmLabel="Cancel replay"
        dismissLabel="Keep it running"
        onConfirm={() =>
          startBusy(async () => {
            setProblem(null);
            const result = await cancel(replayId);
            if (!result.ok) setProblem(result.message);
            router.refresh();
          })
        }
      />
      {problem ? (
        <span role="alert" className="text-sm text-red-700">
          {problem}
        </span>
      ) : null}
    </span>
  );
}
