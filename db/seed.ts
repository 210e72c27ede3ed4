import "server-only";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { count, eq } from "drizzle-orm";
import { encrypt, generateSigningSecret } from "@/lib/crypto";
import { getSecretsKey } from "@/lib/secrets-key";
import { closeDb, type Database, getDb } from "./index";
import { createProcess } from "./queries/processes";
import { getDefaultWorkspace } from "./queries/workspaces";
import { leadUpdateCallbacks, processes } from "./schema";

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

/** Replaces the default workspace's processes with the samples; one of them has a callback configured. */
export async function seed(db: Database): Promise<void> {
  const key = getSecretsKey();
  await db.transaction(async (tx) => {
    const workspace = await getDefaultWorkspace(tx);
    await tx.delete(processes).where(eq(processes.workspaceId, workspace.id));
    for (const sample of samples) {
      const process = await createProcess({ workspaceId: workspace.id, ...sample }, tx);
      if (sample.name === "Loan Renewal Reminders") {
        await tx.insert(leadUpdateCallbacks).values({
          processId: process.id,
          position: 0,
          url: "https://crm.example.com/api/lead-callback",
          authType: "custom_header",
          authHeaderKey: "X-API-Key",
          authHeaderValueEncrypted: encrypt("sample-crm-api-key-1234", key),
          signingSecretEncrypted: encrypt(generateSigningSecret(), key),
        });
      }
    }
  });
}

async function main() {
  const { migrate } = await import("./migrate");
  const db = await getDb();
  await migrate(db);
  await seed(db);
  console.log(`leadhook: seeded ${samples.length} sample processes`);
  await closeDb();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
