import { Inngest } from "inngest";
import { getEnv } from "@/lib/env";

/**
 * The one Inngest client; ./index.ts lists the functions (one per file in ./functions) that
 * /api/inngest serves. Checkpointing is on unless INNGEST_CHECKPOINTING is false (read once, when this
 * module loads): it needs an Inngest server with the checkpoint API, as Inngest Cloud and recent servers
 * have. Self-hosted servers that predate it, like the v1.1 that .ci/build-inngest builds for the contract
 * suite (which turns it off for that server), need INNGEST_CHECKPOINTING=false.
 */
export const inngest = new Inngest({ id: "leadhook", checkpointing: getEnv().INNGEST_CHECKPOINTING });
