import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startConnectProxy } from "@/testing/connect-proxy";
import { startDnsServer } from "@/testing/dns-server";
import { deliverWebhook } from "./deliver";

// A whitelisted callback leaves through the egress proxy. The name is resolved and checked once, by
// leadhook, and the proxy is asked for that address as an IP literal: a proxy given the name would look it
// up again, and an answer that changed in between would reach wherever the second answer points. Every
// answer here is in 127.0.0.0/8 (private URLs allowed where a connection is made) and the proxy tunnels only
// to 127.0.0.1, so nothing leaves the machine whatever the code under test does.
let dns: Awaited<ReturnType<typeof startDnsServer>>;
const seen: { host?: string; headers: IncomingHttpHeaders }[] = [];
const receiver = createServer((req, res) => {
  seen.push({ host: req.headers.host, headers: req.headers });
  res.writeHead(200).end("ok");
});
let receiverPort = 0;
// A TLS server whose certificate is self-signed: the client refuses it after sending its name (SNI).
const tlsReceiver = createTlsServer(
  {
    cert: readFileSync(new URL("../../testing/tls/hooks.proxy.test.crt", import.meta.url)),
    key: readFileSync(new URL("../../testing/tls/hooks.proxy.test.key", import.meta.url)),
  },
  (socket) => socket.end(),
);
tlsReceiver.on("tlsClientError", () => {});
let tlsPort = 0;

beforeAll(async () => {
  dns = await startDnsServer();
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverPort = (receiver.address() as AddressInfo).port;
  await new Promise<void>((resolve) => tlsReceiver.listen(0, "127.0.0.1", resolve));
  tlsPort = (tlsReceiver.address() as AddressInfo).port;
  vi.stubEnv("CALLBACK_DNS_SERVERS", dns.address);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await dns.close();
  receiver.close();
  tlsReceiver.close();
});

const request = (url: string) => ({
  url,
  webhookId: "msg_proxy",
  body: "{}",
  signingSecret: `whsec_${Buffer.alloc(32, 3).toString("base64")}`,
  auth: { type: "none" as const },
  requiresWhitelisting: true,
});

describe("a whitelisted callback through the egress proxy", () => {
  it("asks the proxy for the address it checked, as an IP literal, and keeps the name in the Host header", async () => {
    const name = "hooks.proxy.test";
    dns.answers.set(name, ["127.0.0.2", "127.0.0.3", "127.0.0.4"]);
    const proxy = await startConnectProxy();
    try {
      const result = await deliverWebhook(request(`http://${name}:${receiverPort}/hook`), {
        timeoutMs: 5000,
        allowPrivateUrls: true,
        egressProxyUrl: proxy.url,
      });
      expect(result).toMatchObject({ outcome: "succeeded", responseStatus: 200 });
      expect(proxy.targets).toEqual([`127.0.0.2:${receiverPort}`]);
      expect(dns.queriesFor(name)).toBe(1);
      expect(seen.at(-1)?.host).toBe(`${name}:${receiverPort}`);
    } finally {
      await proxy.close();
    }
  });

  it("asks for the checked address for https too, and sends the name as TLS's server name", async () => {
    const name = "tls.proxy.test";
    dns.answers.set(name, ["127.0.0.5", "127.0.0.6"]);
    const proxy = await startConnectProxy();
    const handshakes = new Promise<string | false>((resolve) =>
      tlsReceiver.once("tlsClientError", (_error, socket) =>
        resolve((socket as unknown as { servername: string | false }).servername),
      ),
    );
    try {
      const result = await deliverWebhook(request(`https://${name}:${tlsPort}/hook`), {
        timeoutMs: 5000,
        allowPrivateUrls: true,
        egressProxyUrl: proxy.url,
      });
      // The certificate is self-signed, so the client refuses it, after sending the name.
      expect(result).toMatchObject({ outcome: "retry", errorClass: "tls" });
      expect(proxy.targets).toEqual([`127.0.0.5:${tlsPort}`]);
      expect(await handshakes).toBe(name);
    } finally {
      await proxy.close();
    }
  });

  it("refuses a name that resolves inside the network before asking the proxy anything", async () => {
    dns.answers.set("inside.proxy.test", "127.0.0.7");
    const proxy = await startConnectProxy();
    try {
      const result = await deliverWebhook(request(`http://inside.proxy.test:${receiverPort}/hook`), {
        timeoutMs: 5000,
        allowPrivateUrls: false,
        egressProxyUrl: proxy.url,
      });
      expect(result).toMatchObject({ outcome: "refused", errorClass: "forbidden_address" });
      expect(result.errorMessage).not.toContain("127.0.0.7");
      expect(proxy.targets).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it("says so when the proxy will not open the tunnel", async () => {
    dns.answers.set("refused.proxy.test", "127.0.0.8");
    const proxy = await startConnectProxy({ refuseWith: 403 });
    try {
      const result = await deliverWebhook(request(`http://refused.proxy.test:${receiverPort}/hook`), {
        timeoutMs: 5000,
        allowPrivateUrls: true,
        egressProxyUrl: proxy.url,
      });
      expect(result).toMatchObject({
        outcome: "retry",
        errorClass: "network",
        errorMessage: `The egress proxy did not connect to refused.proxy.test:${receiverPort} (it answered 403)`,
      });
      expect(proxy.targets).toEqual([`127.0.0.8:${receiverPort}`]);
    } finally {
      await proxy.close();
    }
  });
});
