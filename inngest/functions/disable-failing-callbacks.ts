import { disableFailingCallbacksNow } from "@/delivery/auto-disable";
import { jobs } from "@/delivery/jobs";
import { inngest } from "../client";

/** Every 5 minutes, turn off the callbacks whose every delivery failed for CALLBACK_DISABLE_AFTER. */
export const disableFailingCallbacks = inngest.createFunction(
  {
    id: jobs.disableFailingCallbacks.name,
    name: "Turn off failing callbacks",
    triggers: [{ cron: jobs.disableFailingCallbacks.schedule }],
  },
  async ({ step }) => step.run("disable", () => disableFailingCallbacksNow()),
);
