import { AUTO_DISABLE_CRON, disableFailingCallbacksNow } from "@/delivery/auto-disable";
import { inngest } from "../client";

/** Every 5 minutes, turn off the callbacks whose every delivery failed for CALLBACK_DISABLE_AFTER. */
export const disableFailingCallbacks = inngest.createFunction(
  {
    id: "disable-failing-callbacks",
    name: "Turn off failing callbacks",
    triggers: [{ cron: AUTO_DISABLE_CRON }],
  },
  async ({ step }) => step.run("disable", () => disableFailingCallbacksNow()),
);
