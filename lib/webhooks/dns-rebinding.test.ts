import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startDnsServer } from "@/testing/dns-server";
import { deliverWebhook } from "./deliver";
import { resolvedHostProblem } from "./resolve-check";

// A real DNS server on 127.0.0.1 (testing/dns-server.ts), used through CALLBACK_DNS_SERVERS: a name that is
// public when the callback is saved and points at loopback when the delivery connects must be refused at
// connect time. The public answer is only ever checked, never connected to.
let dns: Awaited<ReturnType<typeof startDnsServer>>;
const receiver = createServer((_req, res) => res.writeHead(200).end("ok"));
let receiverPort = 0;

beforeAll(async () => {
  dns = await startDnsServer();
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverPort = (receiver.address() as AddressInfo).port;
  vi.stubEnv("CALLBACK_DNS_SERVERS", dns.address);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await dns.close();
  receiver.close();
});

const request = (url: string) => ({
  url,
  webhookId: "msg_rebind",
  body: "{}",
  signingSecret: `whsec_${Buffer.alloc(32, 2).toString("base64")}`,
  auth: { type: "none" as const },
  requiresWhitelisting: false,
});

describe("a name whose answer changes between save and delivery", () => {
  it("passes the save-time check while public, and is refused at connect time once it points at loopback", async () => {
    dns.answers.set("hooks.rebind.test", "93.184.216.34");
    expect(await resolvedHostProblem("https://hooks.rebind.test/lead")).toBeNull();

    dns.answers.set("hooks.rebind.test", "127.0.0.1");
    expect(await resolvedHostProblem("https://hooks.rebind.test/lead")).toMatch(
      /^hooks\.rebind\.test resolves to a non-public address/,
    );
    const result = await deliverWebhook(request(`http://hooks.rebind.test:${receiverPort}/hook`), {
      timeoutMs: 2000,
      allowPrivateUrls: false,
    });
    expect(result).toMatchObject({ outcome: "refused", errorClass: "forbidden_address" });
    expect(result.errorMessage).toBe(
      "hooks.rebind.test resolves to a non-public address; leadhook does not deliver there",
    );
  });

  it("connects through the configured DNS servers when the address is allowed", async () => {
    dns.answers.set("local.rebind.test", "127.0.0.1");
    const result = await deliverWebhook(request(`http://local.rebind.test:${receiverPort}/hook`), {
      timeoutMs: 2000,
      allowPrivateUrls: true,
    });
    expect(result).toMatchObject({ outcome: "succeeded", responseStatus: 200 });
  });

  it("reports a name the DNS servers do not know as a DNS error", async () => {
    const result = await deliverWebhook(request(`http://unknown.rebind.test:${receiverPort}/hook`), {
      timeoutMs: 2000,
      allowPrivateUrls: false,
    });
    expect(result).toMatchObject({ outcome: "retry", errorClass: "dns" });
  });
});
