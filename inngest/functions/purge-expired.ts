import { jobs } from "@/delivery/jobs";
import { purgeExpiredNow } from "@/delivery/retention";
import { inngest } from "../client";

/** Every 5 minutes, delete what is older than RETENTION_DAYS (the audit log: AUDIT_RETENTION_DAYS). */
export const purgeExpired = inngest.createFunction(
  {
    id: jobs.purgeExpired.name,
    name: "Delete what is past its retention",
    triggers: [{ cron: jobs.purgeExpired.schedule }],
  },
  async ({ step }) => step.run("purge", () => purgeExpiredNow()),
);
