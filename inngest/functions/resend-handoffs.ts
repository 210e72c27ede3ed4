import { resendPendingHandoffs } from "@/delivery/outbox";
import { inngest } from "../client";

/** The outbox's safety net: every minute, re-send stored events whose hand-off never completed. */
export const resendHandoffs = inngest.createFunction(
  { id: "resend-pending-handoffs", name: "Re-send pending hand-offs", triggers: [{ cron: "* * * * *" }] },
  async ({ step }) => step.run("resend", () => resendPendingHandoffs()),
);
