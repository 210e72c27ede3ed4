import { createServer, type Server } from "node:http";
import { eq } from "drizzle-orm";
import { describe, expect, vi } from "vitest";
import {
  loadDeliveriesAction,
  loadDeliveryAction,
  sendTestAction,
} from "@/app/processes/[id]/delivery-actions";
import { leadUpdateCallbacks } from "@/db/schema";
import type { CallbackInput } from "@/lib/validations/callback";
import { startConnectProxy } from "@/testing/connect-proxy";
import { test as dbTest } from "@/testing/db-test";
import { processWithCallbacks } from "@/testing/fixtures";

// Real attempts (Send test runs performDeliveryAttempt) against receivers on 127.0.0.1 that misbehave,
// each failure read back as the page reads it: the test result, the attempt in the delivery's detail,
// and the Recent deliveries row. All three come from the server, so all three must say the same thing.
const EGRESS_IPS = "203.0.113.10, 203.0.113.11";

const it = dbTest
  /** Starts a server on 127.0.0.1 for the rest of the file and answers its port. */
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern; it has none
  .extend("listen", { scope: "file" }, async ({}, { onCleanup }) => {
    const servers: Server[] = [];
    onCleanup(async () => {
      for (const server of servers) server.closeAllConnections();
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    });
    return (server: Server): Promise<number> => {
      servers.push(server);
      return new Promise((resolve) =>
        server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
      );
    };
  })
  /** The misbehaving receiver: answers by path, and never to "/silent". */
  .extend("receiverUrl", { scope: "file" }, async ({ listen }) => {
    const port = await listen(
      createServer((req, res) => {
        req.resume();
        const path = req.url ?? "";
        if (path === "/401") res.writeHead(401).end('{"error":"bad token"}');
        else if (path === "/404") res.writeHead(404).end("no such route");
        else if (path === "/302") res.writeHead(302, { location: `http://127.0.0.1:${port}/v2/hook` }).end();
        else if (path === "/500") res.writeHead(500).end("boom");
        // "/silent" never answers: the attempt ends at the 1 s timeout.
      }),
    );
    return `http://127.0.0.1:${port}`;
  })
  /** A port nothing listens on (one a server had, closed again). */
  .extend("closedPort", { scope: "file" }, async ({ listen }) => {
    const spare = createServer();
    const port = await listen(spare);
    await new Promise((resolve) => spare.close(resolve));
    return port;
  });

it.beforeAll(() => {
  vi.stubEnv("ALLOW_PRIVATE_CALLBACK_URLS", "true");
  vi.stubEnv("DELIVERY_TIMEOUT_MS", "1000");
  vi.stubEnv("CALLBACK_EGRESS_IPS", EGRESS_IPS);
});
// Every test reads the hints as an admin of the default workspace (the `workspaceId` fixture).
it.beforeEach(async ({ request }) => {
  await request.signInAs("admin", "Hint Reader");
});
it.afterAll(() => {
  vi.unstubAllEnvs();
});

/** Sends a test to a fresh callback and returns the hint as the test result, the detail and the row show it. */
async function hintFor(workspaceId: string, name: string, callback: Partial<CallbackInput>) {
  const setup = await processWithCallbacks(name, [callback]);
  const processId = setup.process.id;
  const callbackId = setup.callbackIds[0] as string;
  const test = await sendTestAction(workspaceId, processId, callbackId);
  if (!test.ok) throw new Error(test.message);
  const recent = await loadDeliveriesAction(workspaceId, processId, callbackId);
  if (!recent.ok) throw new Error(recent.message);
  const row = recent.recent[0];
  const detail = await loadDeliveryAction(workspaceId, processId, callbackId, row?.id as string);
  if (!detail.ok) throw new Error(detail.message);

  expect(detail.attempts).toHaveLength(1);
  expect(detail.attempts[0]?.hint).toEqual(test.summary.hint);
  expect(row?.hint).toBe(test.summary.hint?.hint ?? null);
  return { ...test.summary, hint: test.summary.hint };
}

describe("failure hints on real attempts", () => {
  it("gives none for a delivery that succeeded", async ({ workspaceId, listen }) => {
    const ok = createServer((req, res) => req.resume().on("end", () => res.writeHead(200).end("ok")));
    const port = await listen(ok);
    const result = await hintFor(workspaceId, "Hint ok", { url: `http://127.0.0.1:${port}/hook` });
    expect(result.outcome).toBe("succeeded");
    expect(result.hint).toBeNull();
  });

  it("says a 401 rejected our credentials", async ({ workspaceId, receiverUrl }) => {
    const { hint } = await hintFor(workspaceId, "Hint 401", {
      url: `${receiverUrl}/401`,
      authType: "bearer",
      bearerToken: "tok_wrong",
    });
    expect(hint).toEqual({
      hint: "Your endpoint rejected our credentials: check the Bearer Token or the auth header",
      detail: "The receiver answered HTTP 401",
    });
  });

  it("says a 404 does not accept POST at this URL", async ({ workspaceId, receiverUrl }) => {
    const { hint } = await hintFor(workspaceId, "Hint 404", { url: `${receiverUrl}/404` });
    expect(hint?.hint).toBe("Your endpoint does not accept POST at this URL");
    expect(hint?.detail).toBe("The receiver answered HTTP 404");
  });

  it("says a 302 is not followed, naming where it pointed", async ({ workspaceId, receiverUrl }) => {
    const { hint } = await hintFor(workspaceId, "Hint 302", { url: `${receiverUrl}/302` });
    expect(hint?.hint).toBe(`Redirects are not followed: use the final URL (${receiverUrl}/v2/hook)`);
    expect(hint?.detail).toContain("302");
  });

  it("sends a 500 to the endpoint's logs", async ({ workspaceId, receiverUrl }) => {
    const { hint } = await hintFor(workspaceId, "Hint 500", { url: `${receiverUrl}/500` });
    expect(hint).toEqual({
      hint: "Your endpoint failed with an error (500): check its logs",
      detail: "The receiver answered HTTP 500",
    });
  });

  it("asks a silent endpoint to answer within the configured timeout", async ({
    workspaceId,
    receiverUrl,
  }) => {
    const { hint, errorClass } = await hintFor(workspaceId, "Hint silent", { url: `${receiverUrl}/silent` });
    expect(errorClass).toBe("timeout");
    expect(hint).toEqual({
      hint: "Answer 200 within 1 s and process the update afterwards",
      detail: "No complete answer within 1 s",
    });
  });

  it("says nothing listens on a closed port", async ({ workspaceId, closedPort }) => {
    const { hint } = await hintFor(workspaceId, "Hint refused", {
      url: `http://127.0.0.1:${closedPort}/hook`,
    });
    expect(hint).toEqual({
      hint: "Your server refused the connection: is it running and listening on that port?",
      detail: "The connection was refused",
    });
  });

  it("keeps an attempt's hint as it was made when the whitelisting setting changes later", async ({
    db,
    workspaceId,
    closedPort,
  }) => {
    const setup = await processWithCallbacks("Hint kept", [{ url: `http://127.0.0.1:${closedPort}/hook` }]);
    const [processId, callbackId] = [setup.process.id, setup.callbackIds[0] as string];
    const refused = "Your server refused the connection: is it running and listening on that port?";
    const test = await sendTestAction(workspaceId, processId, callbackId);
    expect(test.ok && test.summary.hint?.hint).toBe(refused);
    await db
      .update(leadUpdateCallbacks)
      .set({ requiresWhitelisting: true })
      .where(eq(leadUpdateCallbacks.id, callbackId));
    const recent = await loadDeliveriesAction(workspaceId, processId, callbackId);
    if (!recent.ok) throw new Error(recent.message);
    expect(recent.recent[0]?.hint).toBe(refused);
    const detail = await loadDeliveryAction(
      workspaceId,
      processId,
      callbackId,
      recent.recent[0]?.id as string,
    );
    expect(detail.ok && detail.attempts[0]?.hint?.hint).toBe(refused);
  });

  it("says a host name that does not resolve does not", async ({ workspaceId }) => {
    const { hint } = await hintFor(workspaceId, "Hint DNS", {
      url: "http://hooks.leadhook-test.invalid/hook",
    });
    expect(hint?.hint).toMatch(/^The host name does not resolve/);
    expect(hint?.detail).toMatch(/hooks\.leadhook-test\.invalid/);
  });

  it("sends a whitelisted callback without static egress to the administrator, naming no setting", async ({
    workspaceId,
    receiverUrl,
  }) => {
    const { hint } = await hintFor(workspaceId, "Hint no egress", {
      url: `${receiverUrl}/500`,
      requiresWhitelisting: true,
    });
    expect(hint?.hint).toMatch(/ask your administrator to set up static egress/);
    expect(hint?.detail).toBe("No static egress configured");
    expect(JSON.stringify(hint)).not.toMatch(/[A-Z]+_[A-Z_]+/);
  });

  it("blames blocked source addresses when a whitelisted callback's server turns the egress proxy away", async ({
    workspaceId,
    closedPort,
  }) => {
    // The proxy cannot reach the receiver and answers CONNECT with 502; the hint names the source addresses.
    const proxy = await startConnectProxy();
    vi.stubEnv("CALLBACK_EGRESS_PROXY_URL", proxy.url);
    try {
      const { hint } = await hintFor(workspaceId, "Hint blocked", {
        url: `http://127.0.0.1:${closedPort}/hook`,
        requiresWhitelisting: true,
      });
      expect(hint?.hint).toMatch(
        /^Your server may be blocking our source addresses: allow 203\.0\.113\.10, 203\.0\.113\.11/,
      );
      expect(hint?.detail).toBe(
        `The egress proxy did not connect to 127.0.0.1:${closedPort} (it answered 502)`,
      );
      expect(proxy.targets).toEqual([`127.0.0.1:${closedPort}`]);
    } finally {
      vi.stubEnv("CALLBACK_EGRESS_PROXY_URL", "");
      await proxy.close();
    }
  });
});
