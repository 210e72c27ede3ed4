import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import { type Receiver, type ReceiverOptions, startReceiver } from "./receiver";

const secret = `whsec_${Buffer.from("a-test-signing-secret-32-bytes!!").toString("base64")}`;
const otherSecret = `whsec_${Buffer.from("another-secret-of-32-bytes-long!").toString("base64")}`;

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function start(options: ReceiverOptions = {}): Promise<Receiver> {
  receiver = await startReceiver(options);
  return receiver;
}

function signedHeaders(body: string, signingSecret = secret, msgId = "msg_1"): Record<string, string> {
  const now = new Date();
  return {
    "content-type": "application/json",
    "webhook-id": msgId,
    "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
    "webhook-signature": new Webhook(signingSecret).sign(msgId, now, body),
  };
}

const payload = JSON.stringify({ type: "lead.updated", data: { leadId: "lead_1", status: "qualified" } });

describe("startReceiver", () => {
  it("records a webhook with a valid signature and answers 200 {ok:true}", async () => {
    const r = await start({ secret });
    expect(r.url).toBe(`http://127.0.0.1:${r.port}`);
    const res = await fetch(`${r.url}/hooks/leads?x=1`, {
      method: "POST",
      headers: signedHeaders(payload),
      body: payload,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    const [w] = r.received;
    expect(r.received).toHaveLength(1);
    expect(w).toMatchObject({
      method: "POST",
      path: "/hooks/leads?x=1",
      rawBody: payload,
      json: JSON.parse(payload),
      signatureValid: true,
      authValid: null,
    });
    expect(w?.signatureError).toBeUndefined();
    expect(w?.headers["webhook-id"]).toBe("msg_1");
    expect(w?.receivedAt).toBeInstanceOf(Date);
  });

  it("flags a tampered body and a wrong secret as invalid, with the library's reason", async () => {
    const r = await start({ secret });
    await fetch(r.url, { method: "POST", headers: signedHeaders(payload), body: payload.replace("1", "2") });
    await fetch(r.url, { method: "POST", headers: signedHeaders(payload, otherSecret), body: payload });
    expect(r.received.map((w) => w.signatureValid)).toEqual([false, false]);
    for (const w of r.received) expect(w.signatureError).toMatch(/signature/i);
  });

  it("flags missing signature headers and leaves signatures unchecked without a secret", async () => {
    const r = await start({ secret });
    await fetch(r.url, { method: "POST", body: "not json" });
    expect(r.received[0]).toMatchObject({ signatureValid: false, json: null, rawBody: "not json" });
    expect(r.received[0]?.signatureError).toBeTruthy();

    const unchecked = await startReceiver();
    try {
      await fetch(unchecked.url, { method: "POST", headers: signedHeaders(payload), body: payload });
      expect(unchecked.received[0]?.signatureValid).toBeNull();
    } finally {
      await unchecked.close();
    }
  });

  it("verifies with a secret set after start (rotation)", async () => {
    const r = await start({ secret: otherSecret });
    await fetch(r.url, { method: "POST", headers: signedHeaders(payload), body: payload });
    r.setSecret(secret);
    await fetch(r.url, { method: "POST", headers: signedHeaders(payload), body: payload });
    expect(r.received.map((w) => w.signatureValid)).toEqual([false, true]);
  });

  it("checks a Bearer token", async () => {
    const r = await start({ bearerToken: "tok_right" });
    for (const authorization of ["Bearer tok_right", "Bearer tok_wrong", "Bearer tok_right_but_longer"]) {
      await fetch(r.url, { method: "POST", headers: { authorization }, body: payload });
    }
    await fetch(r.url, { method: "POST", body: payload });
    expect(r.received.map((w) => w.authValid)).toEqual([true, false, false, false]);
  });

  it("checks a custom auth header, whatever the case of its name", async () => {
    const r = await start({ authHeader: { key: "X-API-Key", value: "key-789" } });
    await fetch(r.url, { method: "POST", headers: { "x-api-key": "key-789" }, body: payload });
    await fetch(r.url, { method: "POST", headers: { "X-API-Key": "key-780" }, body: payload });
    expect(r.received.map((w) => w.authValid)).toEqual([true, false]);
  });

  it("waitFor resolves with an earlier or a later webhook, and rejects on timeout", async () => {
    const r = await start();
    await fetch(`${r.url}/first`, { method: "POST", body: "{}" });
    await expect(r.waitFor()).resolves.toMatchObject({ path: "/first" });

    const later = r.waitFor((w) => w.path === "/second", 5_000);
    setTimeout(() => void fetch(`${r.url}/second`, { method: "POST", body: "{}" }), 50);
    await expect(later).resolves.toMatchObject({ path: "/second" });

    await expect(r.waitFor((w) => w.path === "/never", 100)).rejects.toThrow(
      /No matching webhook within 100 ms/,
    );
  });

  it("clear() empties the record", async () => {
    const r = await start();
    await fetch(r.url, { method: "POST", body: "{}" });
    r.clear();
    expect(r.received).toHaveLength(0);
    await expect(r.waitFor(undefined, 50)).rejects.toThrow();
  });

  it("lets a respond callback choose status, headers and body", async () => {
    const r = await start({
      respond: async (w) =>
        w.path === "/gone"
          ? { status: 410 }
          : { status: 429, headers: { "retry-after": "120" }, body: '{"error":"slow down"}' },
    });
    const gone = await fetch(`${r.url}/gone`, { method: "POST", body: "{}" });
    expect(gone.status).toBe(410);
    const limited = await fetch(`${r.url}/busy`, { method: "POST", body: "{}" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("120");
    expect(await limited.text()).toBe('{"error":"slow down"}');
    expect(r.received).toHaveLength(2);
  });

  it("answers 413 to a body over 5 MiB and does not record it", async () => {
    const r = await start();
    const exactly = "x".repeat(5 * 1024 * 1024);
    expect((await fetch(r.url, { method: "POST", body: exactly })).status).toBe(200);
    const res = await fetch(r.url, { method: "POST", body: `${exactly}x` });
    expect(res.status).toBe(413);
    expect(r.received).toHaveLength(1);
  });
});

describe("receiver-cli", () => {
  const cli = fileURLToPath(new URL("./receiver-cli.ts", import.meta.url));
  const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));

  function run(args: string[]) {
    const child = spawn(tsx, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
    });
    const exited = once(child, "exit").then(([code]) => code as number | null);
    return { child, exited, out: () => stdout, err: () => stderr };
  }

  async function until(condition: () => boolean, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error("timed out waiting for the CLI");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it("prints usage for --help (exit 0) and for bad arguments (exit 2)", async () => {
    const help = run(["--help"]);
    expect(await help.exited).toBe(0);
    expect(help.out()).toMatch(/Usage:/);

    for (const args of [["--port", "abc"], ["--secret", "nope"], ["--bogus"], ["--header", "novalue"]]) {
      const bad = run(args);
      expect(await bad.exited, args.join(" ")).toBe(2);
      expect(bad.err()).toMatch(/Usage:/);
    }
  }, 30_000);

  it("prints each webhook with its verdicts and stops on SIGTERM", async () => {
    const proc = run(["--port", "0", "--secret", secret, "--token", "tok_cli"]);
    await until(() => /Receiving webhooks at (\S+)/.test(proc.out()));
    const url = /Receiving webhooks at (\S+)/.exec(proc.out())?.[1] ?? "";
    const res = await fetch(`${url}/cb`, {
      method: "POST",
      headers: { ...signedHeaders(payload, secret, "msg_cli"), authorization: "Bearer tok_cli" },
      body: payload,
    });
    expect(res.status).toBe(200);
    await fetch(`${url}/cb`, { method: "POST", headers: signedHeaders(payload, otherSecret), body: "{}" });
    await until(() => (proc.out().match(/ POST \/cb /g) ?? []).length === 2);
    const out = proc.out();
    expect(out).toMatch(/POST \/cb lead\.updated webhook-id=msg_cli signature: valid auth: valid/);
    expect(out).toMatch(/"leadId": "lead_1"/);
    expect(out).toMatch(/signature: INVALID \(.+\) auth: INVALID/);
    proc.child.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
  }, 30_000);
});
