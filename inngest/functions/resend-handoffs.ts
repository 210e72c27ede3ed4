import { jobs } from "@/delivery/jobs";
import { resendPendingHandoffs } from "@/delivery/outbox";
import { deliveryEngine, getEnv } from "@/lib/env";
import { inngest } from "../client";
import { inngestEngine } from "../engine";

/** The outbox's safety net: every minute, re-send stored events whose hand-off never completed. */
export const resendHandoffs = inngest.createFunction(
  {
    id: jobs.resendHandoffs.name,
    name: "Re-send pending hand-offs",
    triggers: [{ cron: jobs.resendHandoffs.schedule }],
  },
  // An Inngest server may still call this on a server whose deliveries run on the built-in queue (an app
  // synced before LEADHOOK_ENGINE changed): that queue re-sends on its own schedule, so nothing goes here.
  async ({ step }) =>
    deliveryEngine(getEnv()) === "inngest"
      ? step.run("resend", () => resendPendingHandoffs(inngestEngine))
      : { skipped: "deliveries run on the built-in queue" },
);
