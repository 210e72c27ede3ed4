import { jobs } from "@/delivery/jobs";
import { resendPendingHandoffs } from "@/delivery/outbox";
import { inngest } from "../client";
import { inngestEngine } from "../engine";

/** The outbox's safety net: every minute, re-send stored events whose hand-off never completed. */
export const resendHandoffs = inngest.createFunction(
  {
    id: jobs.resendHandoffs.name,
    name: "Re-send pending hand-offs",
    triggers: [{ cron: jobs.resendHandoffs.schedule }],
  },
  async ({ step }) => step.run("resend", () => resendPendingHandoffs(inngestEngine)),
);
