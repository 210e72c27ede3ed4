import { getProcessSettings, saveProcessSettings } from "@/db/queries/callbacks";
import { createProcess } from "@/db/queries/processes";
import { getDefaultWorkspace } from "@/db/queries/workspaces";
import { type CallbackInput, emptyCallback } from "@/lib/validations/callback";
import type { LeadEvent } from "@/lib/validations/event";

/** Test helper: a process with the given callbacks saved as an admin would (validation aside). */
export async function processWithCallbacks(name: string, callbacks: Partial<CallbackInput>[]) {
  const workspace = await getDefaultWorkspace();
  const process = await createProcess({ workspaceId: workspace.id, name });
  await saveProcessSettings(workspace.id, process.id, {
    version: 1,
    name,
    description: "",
    language: "English",
    status: "active",
    callbacks: callbacks.map((cb) => ({
      ...emptyCallback(),
      url: "https://hooks.example.com/",
      ...cb,
    })) as never,
  });
  const settings = await getProcessSettings(workspace.id, process.id);
  if (!settings) throw new Error("process vanished");
  return {
    workspaceId: workspace.id,
    process,
    callbackIds: settings.values.callbacks.map((c) => c.id as string),
  };
}

let counter = 0;

/** Test helper: a valid event for a process, with overrides. */
export function sampleEvent(processId: string, overrides: Partial<LeadEvent> = {}): LeadEvent {
  counter += 1;
  return {
    id: `evt_${Date.now()}_${counter}`,
    type: "call.completed",
    processId,
    occurredAt: "2026-11-23T10:15:00Z",
    lead: { id: "lead_42", name: "Asha Verma", phone: "+919812345678", status: "Interested" },
    activity: { type: "call", callId: `call_${counter}`, attempt: 1, outcome: "answered", durationSec: 94 },
    ...overrides,
  };
}
