import { Inngest } from "inngest";
import { getEnv } from "@/lib/env";

/**
 * The one Inngest client; the functions are in ./functions and served at /api/inngest. Checkpointing
 * (the SDK's default) needs an Inngest server that has the checkpoint API: Inngest Cloud and recent
 * servers do; self-hosted servers that predate it (v1.1, which CI builds) need INNGEST_CHECKPOINTING=false.
 */
export const inngest = new Inngest({ id: "leadhook", checkpointing: getEnv().INNGEST_CHECKPOINTING });
