"use server";

import { defineAction, idArg } from "@/auth/action";
import { auditContext } from "@/auth/member";
import { storeSampleEvent } from "@/db/queries/events";
import { getProcess } from "@/db/queries/processes";
import { handOffBatched } from "@/delivery/runtime";
import { AppError, messages } from "@/lib/errors";
import { sampleEvent } from "@/lib/sample-event";

/**
 * "Send sample event": a made-up call.completed for this process, stored and handed to the delivery engine
 * as a producer's event is (the same store function, the same hand-off), so every enabled callback gets it
 * and the admin can watch it go out. Answers with the event's id and page.
 */
export const sendSampleEventAction = defineAction({
  permission: "deliveries:test",
  args: [idArg(messages.processGone)],
  work: async (member, processId) => {
    const process = await getProcess(member.workspace.id, processId);
    if (!process) throw new AppError("not_found", messages.processGone);
    const event = sampleEvent(process.id);
    const stored = await storeSampleEvent(event, {
      context: auditContext(member),
      targetLabel: process.name,
    });
    const ids = stored.accepted.map((e) => e.id);
    // As the ingest route does after its 202: a failed hand-off leaves the event pending for the re-send.
    await handOffBatched(ids);
    const [accepted] = stored.accepted;
    if (!accepted) throw new Error("The sample event was not stored");
    return { eventId: accepted.id, externalId: accepted.externalId, callbacks: stored.enabledCallbacks };
  },
});
