import { describe, expect, vi } from "vitest";
import { createTestDelivery } from "@/db/queries/deliveries";
import { getDeliveryDetail, hourlySuccess, listRecentDeliveries } from "@/db/queries/delivery-log";
import { performDeliveryAttempt } from "@/delivery/attempt";
import { test as dbTest } from "@/testing/db-test";
import { processWithCallbacks } from "@/testing/fixtures";

/** The file's receiver answers 500 on /fail and 200 elsewhere. */
const it = dbTest.extend(
  "receiverOptions",
  { scope: "file" },
  {
    respond: (w) => ({ status: w.path === "/fail" ? 500 : 200 }),
  },
);

it.beforeAll(() => {
  vi.stubEnv("ALLOW_PRIVATE_CALLBACK_URLS", "true");
});
it.afterAll(() => {
  vi.unstubAllEnvs();
});

describe("the delivery log", () => {
  it("lists deliveries newest first with code and latency, and counts attempts per hour", async ({
    receiver,
  }) => {
    const { callbackIds } = await processWithCallbacks("Log", [{ url: `${receiver.url}/ok` }]);
    const callbackId = callbackIds[0] as string;
    const first = await createTestDelivery(callbackId, "call.completed", { type: "call.completed" });
    await performDeliveryAttempt(first, { attemptNumber: 1, final: true });
    const second = await createTestDelivery(callbackId, "call.completed", { type: "call.completed" });
    await performDeliveryAttempt(second, { attemptNumber: 1, final: true });

    const recent = await listRecentDeliveries(callbackId);
    expect(recent.map((d) => d.id)).toEqual([second, first]);
    expect(recent[0]).toMatchObject({
      status: "succeeded",
      lastResponseStatus: 200,
      attemptCount: 1,
      isTest: true,
    });
    expect(typeof recent[0]?.latencyMs).toBe("number");

    const hourly = await hourlySuccess(callbackId);
    expect(hourly.reduce((n, h) => n + h.total, 0)).toBe(2);
    expect(hourly.reduce((n, h) => n + h.succeeded, 0)).toBe(2);

    const detail = await getDeliveryDetail(callbackId, first);
    expect(detail?.attempts).toHaveLength(1);
    expect(await getDeliveryDetail(callbackId, "00000000-0000-4000-8000-000000000000")).toBeUndefined();
  });
});
