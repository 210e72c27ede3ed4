import "server-only";
import { count, eq } from "drizzle-orm";
import { emptyCallback } from "@/lib/validations/callback";
import { createProcessSettingsSchema } from "@/lib/validations/process";
import type { Database } from "./index";
import { saveProcessSettings } from "./queries/callbacks";
import { createProcess } from "./queries/processes";
import { getDefaultWorkspace } from "./queries/workspaces";
import { processes } from "./schema";

// The sample data of a fresh database; `npm run db:seed` and `db:prepare` run it through db/migrate.ts.

const samples = [
  {
    name: "OutReach Plan (hinglish)",
    description: "Outbound qualification calls for new sign-ups, in Hinglish.",
    language: "Hinglish",
    status: "active" as const,
  },
  {
    name: "Loan Renewal Reminders",
    description: "Reminds existing customers that their personal loan is due for renewal.",
    language: "English",
    status: "active" as const,
  },
  {
    name: "Webinar Follow-up (Hindi)",
    description: "Calls webinar attendees to book a product demo.",
    language: "Hindi",
    status: "paused" as const,
  },
  {
    name: "Insurance Lead Qualification",
    description: "Qualifies inbound insurance leads before they reach an advisor.",
    language: "English",
    status: "archived" as const,
  },
];

export async function isEmpty(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(processes);
  return (row?.n ?? 0) === 0;
}

/** The callback configured on "Loan Renewal Reminders", as the process page's form fills it in. */
const sampleCallback = {
  ...emptyCallback(),
  url: "https://crm.example.com/api/lead-callback",
  authType: "custom_header" as const,
  authHeaderKey: "X-API-Key",
  authHeaderValue: "sample-crm-api-key-1234",
};

/**
 * Replaces the default workspace's processes with the samples, in one transaction; the sample callback is
 * checked by the shared schema and saved the way the process page saves it (its secrets encrypted there).
 * Returns how many processes were created.
 */
export async function seed(db: Database): Promise<number> {
  const schema = createProcessSettingsSchema({ allowPrivateUrls: false });
  await db.transaction(async (tx) => {
    const workspace = await getDefaultWorkspace(tx);
    await tx.delete(processes).where(eq(processes.workspaceId, workspace.id));
    for (const sample of samples) {
      const process = await createProcess({ workspaceId: workspace.id, ...sample }, tx);
      if (sample.name === "Loan Renewal Reminders") {
        const { workspaceId, id, version, name, description, language, status } = process;
        const values = schema.parse({
          version,
          name,
          description,
          language,
          status,
          callbacks: [sampleCallback],
        });
        await saveProcessSettings(workspaceId, id, values, undefined, tx);
      }
    }
  });
  return samples.length;
}
