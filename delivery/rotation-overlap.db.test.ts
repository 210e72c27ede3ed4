import { eq, sql } from "drizzle-orm";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { describe, expect, vi } from "vitest";
import { getDb } from "@/db/index";
import { operatorContext } from "@/db/queries/audit-log";
import { getProcessSettings } from "@/db/queries/callbacks";
import { createTestDelivery } from "@/db/queries/deliveries";
import {
  getSigningSecret,
  rotateSigningSecret,
  SIGNING_SECRET_OVERLAP_HOURS,
} from "@/db/queries/signing-secrets";
import { leadUpdateCallbacks } from "@/db/schema";
import type { Receiver } from "@/e2e/receiver";
import { generateSigningSecret } from "@/lib/crypto";
import { signatureHeader } from "@/lib/webhooks/deliver";
import { it } from "@/testing/db-test";
import { processWithCallbacks } from "@/testing/fixtures";
import { performDeliveryAttempt } from "./attempt";

it.beforeAll(() => {
  vi.stubEnv("ALLOW_PRIVATE_CALLBACK_URLS", "true");
});
it.afterEach(({ receiver }) => receiver.clear());
it.afterAll(() => {
  vi.unstubAllEnvs();
});

const HOUR_MS = 3_600_000;

async function setUp(receiver: Receiver, name: string) {
  const setup = await processWithCallbacks(name, [{ url: `${receiver.url}/hook` }]);
  const callbackId = setup.callbackIds[0] as string;
  return {
    ...setup,
    callbackId,
    secret: () => getSigningSecret(setup.workspaceId, setup.process.id, callbackId),
    rotate: () => rotateSigningSecret(operatorContext(setup.workspaceId), setup.process.id, callbackId),
  };
}

/** Delivers a fresh test delivery and returns the request the receiver got. */
async function deliver(receiver: Receiver, callbackId: string, n: number) {
  receiver.clear();
  const id = await createTestDelivery(callbackId, "call.completed", { type: "call.completed", data: { n } });
  const summary = await performDeliveryAttempt(id, { attemptNumber: 1, final: true });
  expect(summary.status).toBe("succeeded");
  return { summary, request: await receiver.waitFor() };
}

function verifies(secret: string, request: { rawBody: string; headers: Record<string, string> }) {
  try {
    new Webhook(secret).verify(request.rawBody, request.headers);
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return false;
    throw error;
  }
}

async function expirePrevious(callbackId: string) {
  const db = await getDb();
  await db
    .update(leadUpdateCallbacks)
    .set({ previousSigningSecretExpiresAt: sql`now() - interval '1 second'` })
    .where(eq(leadUpdateCallbacks.id, callbackId));
}

describe("signatureHeader", () => {
  const req = { webhookId: "msg_overlap", body: '{"type":"call.completed"}' };
  const at = new Date("2026-11-23T10:15:00Z");
  const current = generateSigningSecret();
  const previous = generateSigningSecret();

  it("carries exactly two v1 signatures during an overlap, the current secret's first", () => {
    const header = signatureHeader({ ...req, signingSecret: current, previousSigningSecret: previous }, at);
    const entries = header.split(" ");
    expect(entries).toHaveLength(2);
    expect(entries.every((entry) => /^v1,[A-Za-z0-9+/]+=*$/.test(entry))).toBe(true);
    expect(entries[0]).toBe(new Webhook(current).sign(req.webhookId, at, req.body));
    expect(entries[1]).toBe(new Webhook(previous).sign(req.webhookId, at, req.body));
  });

  it("carries one signature without a previous secret", () => {
    const header = signatureHeader({ ...req, signingSecret: current }, at);
    expect(header).toBe(new Webhook(current).sign(req.webhookId, at, req.body));
  });
});

describe("rotating a signing secret with overlap", () => {
  it("signs deliveries with both secrets until the previous one expires, then with the new one only", async ({
    db,
    receiver,
  }) => {
    const cb = await setUp(receiver, "Rotation overlap");
    const oldSecret = await cb.secret();

    const before = Date.now();
    const rotated = await cb.rotate();
    const newSecret = await cb.secret();
    expect(newSecret).not.toBe(oldSecret);
    const expiresAt = new Date(rotated.previousExpiresAt).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(before + SIGNING_SECRET_OVERLAP_HOURS * HOUR_MS - 60_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + SIGNING_SECRET_OVERLAP_HOURS * HOUR_MS + 60_000);

    const [row] = await db
      .select()
      .from(leadUpdateCallbacks)
      .where(eq(leadUpdateCallbacks.id, cb.callbackId));
    expect(row?.previousSigningSecretEncrypted).toBeTruthy();
    expect(row?.previousSigningSecretEncrypted).not.toContain(oldSecret.replace(/^whsec_/, ""));

    const during = await deliver(receiver, cb.callbackId, 1);
    expect(verifies(oldSecret, during.request)).toBe(true);
    expect(verifies(newSecret, during.request)).toBe(true);
    const entries = during.request.headers["webhook-signature"]?.split(" ") ?? [];
    expect(entries.filter((entry) => entry.startsWith("v1,"))).toHaveLength(2);
    // What the engine keeps (job data, step output) never holds a secret.
    const summary = JSON.stringify(during.summary);
    for (const secret of [oldSecret, newSecret]) expect(summary).not.toContain(secret.replace(/^whsec_/, ""));

    await expirePrevious(cb.callbackId);
    const after = await deliver(receiver, cb.callbackId, 2);
    expect(verifies(newSecret, after.request)).toBe(true);
    expect(verifies(oldSecret, after.request)).toBe(false);
    expect(after.request.headers["webhook-signature"]?.split(" ")).toHaveLength(1);
  });

  it("keeps one previous secret: rotating again within the overlap retires the oldest at once", async ({
    receiver,
  }) => {
    const cb = await setUp(receiver, "Rotation twice");
    const first = await cb.secret();
    await cb.rotate();
    const second = await cb.secret();
    await cb.rotate();
    const third = await cb.secret();

    const { request } = await deliver(receiver, cb.callbackId, 1);
    expect(verifies(third, request)).toBe(true);
    expect(verifies(second, request)).toBe(true);
    expect(verifies(first, request)).toBe(false);
    expect(request.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
  });

  it("tells the process page when the previous secret stops signing, and nothing once it has", async ({
    receiver,
  }) => {
    const cb = await setUp(receiver, "Rotation page");
    const settings = async () =>
      (await getProcessSettings(cb.workspaceId, cb.process.id))?.previousSecretExpiry;
    expect(await settings()).toEqual({});

    const rotated = await cb.rotate();
    expect(await settings()).toEqual({ [cb.callbackId]: rotated.previousExpiresAt });

    await expirePrevious(cb.callbackId);
    expect(await settings()).toEqual({});
  });
});
