import { inArray } from "drizzle-orm";
import { describe, expect, vi } from "vitest";
import { createTestDelivery } from "@/db/queries/deliveries";
import { getSigningSecret } from "@/db/queries/signing-secrets";
import { deliveries, deliveryAttempts } from "@/db/schema";
import type { ReceivedWebhook } from "@/e2e/receiver";
import { webhookIdFor } from "@/lib/webhooks/payload";
import { test as dbTest } from "@/testing/db-test";
import { processWithCallbacks } from "@/testing/fixtures";
import { performDeliveryAttempt } from "./attempt";

// Every third delivery is refused with a 500 until its second attempt.
function byN(w: ReceivedWebhook) {
  const { n } = (w.json as { data: { n: number } }).data;
  return { status: n % 3 === 0 ? 500 : 200, body: `got ${n}` };
}

const it = dbTest.extend("receiverOptions", { scope: "file" }, { respond: byN });

it.beforeAll(() => {
  vi.stubEnv("ALLOW_PRIVATE_CALLBACK_URLS", "true");
});
it.afterEach(({ receiver }) => receiver.clear());
it.afterAll(() => {
  vi.unstubAllEnvs();
});

describe("performDeliveryAttempt", () => {
  it("sends exactly the bytes JSON.stringify made of the stored payload", async ({ receiver }) => {
    const setup = await processWithCallbacks("Bytes", [{ url: `${receiver.url}/hook` }]);
    const payload = {
      zeta: 1,
      alpha: { 'quote"back\\slash': "line\nsep\u2028 tab\t </script> ✓ 🚀", empty: "" },
      numbers: [0.1, 1e21, 5e-324, -0, 123456789012345680000, -1.5e-7],
      data: { n: 1, nested: [[], {}, null, true, false] },
    };
    const id = await createTestDelivery(setup.callbackIds[0] as string, "call.completed", payload);
    const summary = await performDeliveryAttempt(id, { attemptNumber: 1, final: true });
    expect(summary.status).toBe("succeeded");
    expect(receiver.received[0]?.rawBody).toBe(JSON.stringify(payload));
  });
});

describe("performDeliveryAttempt with an awkward answer", () => {
  it("records an answer holding NUL bytes (Postgres text cannot), shown as U+FFFD", async ({
    db,
    receiver,
  }) => {
    const setup = await processWithCallbacks("Binary answer", [{ url: `${receiver.url}/hook` }]);
    const id = await createTestDelivery(setup.callbackIds[0] as string, "call.completed", { data: { n: 1 } });
    receiver.respondWith(() => ({ status: 200, body: "ok\u0000\u0000done" }));
    try {
      const summary = await performDeliveryAttempt(id, { attemptNumber: 1, final: true });
      expect(summary).toMatchObject({ status: "succeeded", responseExcerpt: "ok\uFFFD\uFFFDdone" });
    } finally {
      receiver.respondWith(byN);
    }
    const [attempt] = await db
      .select()
      .from(deliveryAttempts)
      .where(inArray(deliveryAttempts.deliveryId, [id]));
    expect(attempt?.responseExcerpt).toBe("ok\uFFFD\uFFFDdone");
  });
});

describe("performDeliveryAttempt under concurrency", () => {
  it("delivers and records 50 attempts in flight at once, each signed and with its own outcome", async ({
    db,
    receiver,
  }) => {
    const setup = await processWithCallbacks("Concurrent", [
      { url: `${receiver.url}/hook`, authType: "bearer", bearerToken: "tok_concurrent" },
    ]);
    const callbackId = setup.callbackIds[0] as string;
    receiver.setSecret(await getSigningSecret(setup.workspaceId, setup.process.id, callbackId));
    receiver.setAuth({ bearerToken: "tok_concurrent" });
    const ids: string[] = [];
    for (let n = 0; n < 50; n++) {
      ids.push(
        await createTestDelivery(callbackId, "call.completed", { type: "call.completed", data: { n } }),
      );
    }

    const summaries = await Promise.all(
      ids.map((id) => performDeliveryAttempt(id, { attemptNumber: 1, final: false })),
    );
    summaries.forEach((summary, n) => {
      expect(summary).toMatchObject(
        n % 3 === 0
          ? { deliveryId: ids[n], status: "retrying", outcome: "retry", responseStatus: 500 }
          : { deliveryId: ids[n], status: "succeeded", outcome: "succeeded", responseStatus: 200 },
      );
      expect(summary.responseExcerpt).toBe(`got ${n}`);
    });
    expect(receiver.received).toHaveLength(50);
    for (const hook of receiver.received) {
      expect(hook.signatureValid).toBe(true);
      expect(hook.authValid).toBe(true);
    }
    expect(new Set(receiver.received.map((h) => h.headers["webhook-id"]))).toEqual(
      new Set(ids.map(webhookIdFor)),
    );

    const rows = await db.select().from(deliveries).where(inArray(deliveries.id, ids));
    const attempts = await db
      .select()
      .from(deliveryAttempts)
      .where(inArray(deliveryAttempts.deliveryId, ids));
    expect(attempts).toHaveLength(50);
    for (const [n, id] of ids.entries()) {
      expect(rows.find((r) => r.id === id)).toMatchObject({
        status: n % 3 === 0 ? "retrying" : "succeeded",
        attemptCount: 1,
      });
      expect(attempts.find((a) => a.deliveryId === id)?.responseExcerpt).toBe(`got ${n}`);
    }

    // The second attempt of the refused ones, again all at once, succeeds and moves them on.
    receiver.respondWith(() => ({ status: 200 }));
    const retried = ids.filter((_, n) => n % 3 === 0);
    const second = await Promise.all(
      retried.map((id) => performDeliveryAttempt(id, { attemptNumber: 2, final: false })),
    );
    expect(second.every((s) => s.status === "succeeded")).toBe(true);
    const after = await db.select().from(deliveries).where(inArray(deliveries.id, retried));
    for (const row of after) expect(row).toMatchObject({ status: "succeeded", attemptCount: 2 });
    const all = await db.select().from(deliveryAttempts).where(inArray(deliveryAttempts.deliveryId, retried));
    expect(all.map((a) => a.attemptNumber).sort()).toEqual([
      ...retried.map(() => 1),
      ...retried.map(() => 2),
    ]);
  });
});
