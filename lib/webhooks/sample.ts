import type { PayloadFormat } from "../validations/callback-options";
import { buildWebhookPayload, type WebhookPayload } from "./payload";

/** The body "Send test" delivers: a realistic call.completed for a made-up lead, marked as a test. */
export function buildSamplePayload(
  format: PayloadFormat,
  process: { id: string; name: string },
  now = new Date(),
): WebhookPayload {
  const endedAt = new Date(now.getTime() - 5_000);
  const startedAt = new Date(endedAt.getTime() - 94_000);
  const activity = {
    type: "call",
    callId: "call_test_0001",
    attempt: 1,
    outcome: "answered",
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    durationSec: 94,
    summary: "Test call from leadhook: the lead is interested and asked for a callback tomorrow.",
  };
  return buildWebhookPayload({
    format,
    eventId: "evt_test_0001",
    type: "call.completed",
    occurredAt: endedAt,
    process,
    lead: {
      id: "lead_test_0001",
      name: "Test Lead",
      phone: "+919800000000",
      email: "test.lead@example.com",
      status: "Interested",
      disposition: null,
      attributes: { test: true, source: "leadhook Send test" },
      sequence: 1,
    },
    activity,
    recentActivities: [activity],
  });
}
