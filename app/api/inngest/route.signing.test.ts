import { afterEach, describe, expect, it, vi } from "vitest";

// Production mode: no INNGEST_DEV, a signing key. Every address the SDK could call is on this machine.
vi.hoisted(() => {
  delete process.env.INNGEST_DEV;
  process.env.INNGEST_SIGNING_KEY = `signkey-prod-${"ab".repeat(32)}`;
  process.env.INNGEST_BASE_URL = "http://127.0.0.1:9";
});

const { POST } = await import("./route");

const call = (headers: Record<string, string> = {}) =>
  POST(
    new Request("http://localhost:3000/api/inngest?fnId=leadhook-deliver&stepId=step", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ event: {}, events: [], steps: {}, ctx: { run_id: "run" } }),
    }) as never,
    undefined as never,
  );

afterEach(() => vi.restoreAllMocks());

describe("the Inngest serve route (production mode)", () => {
  it("answers an unsigned call 401 with a JSON error, and logs nothing", async () => {
    const logged = [vi.spyOn(console, "error"), vi.spyOn(console, "warn"), vi.spyOn(console, "log")];
    const response = await call();
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: {
        code: "unauthorized",
        message: "Calls to /api/inngest must carry Inngest's request signature.",
      },
    });
    for (const spy of logged) expect(spy).not.toHaveBeenCalled();
  });

  it("leaves a signature that does not verify to the SDK, which refuses it", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await call({
      "x-inngest-signature": `t=${Math.floor(Date.now() / 1000)}&s=${"0".repeat(64)}`,
    });
    expect(response.status).toBe(401);
  });
});
