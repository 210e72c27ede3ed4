import { createSocket } from "node:dgram";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { deliverWebhook } from "./deliver";
import { resolvedHostProblem } from "./resolve-check";

// A real DNS server on 127.0.0.1 (UDP, A records from a map the test changes), used through
// CALLBACK_DNS_SERVERS: a name that is public when the callback is saved and points at loopback when the
// delivery connects must be refused at connect time.
const answers = new Map<string, string>();
const dns = createSocket("udp4");
let dnsPort = 0;
const receiver = createServer((_req, res) => res.writeHead(200).end("ok"));
let receiverPort = 0;

function reply(query: Buffer): Buffer {
  let offset = 12;
  const labels: string[] = [];
  while (query[offset]) {
    const length = query[offset] as number;
    labels.push(query.subarray(offset + 1, offset + 1 + length).toString());
    offset += length + 1;
  }
  const question = query.subarray(12, offset + 5);
  const type = query.readUInt16BE(offset + 1);
  const address = type === 1 ? answers.get(labels.join(".").toLowerCase()) : undefined;
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  header.writeUInt16BE(0x8180, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(address ? 1 : 0, 6);
  if (!address) return Buffer.concat([header, question]);
  const answer = Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, ...address.split(".").map(Number)]);
  return Buffer.concat([header, question, answer]);
}

beforeAll(async () => {
  dns.on("message", (msg, from) => dns.send(reply(msg), from.port, from.address));
  await new Promise<void>((resolve) => dns.bind(0, "127.0.0.1", resolve));
  dnsPort = dns.address().port;
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverPort = (receiver.address() as AddressInfo).port;
  vi.stubEnv("CALLBACK_DNS_SERVERS", `127.0.0.1:${dnsPort}`);
});
afterAll(() => {
  vi.unstubAllEnvs();
  dns.close();
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
    answers.set("hooks.rebind.test", "93.184.216.34");
    expect(await resolvedHostProblem("https://hooks.rebind.test/lead")).toBeNull();

    answers.set("hooks.rebind.test", "127.0.0.1");
    expect(await resolvedHostProblem("https://hooks.rebind.test/lead")).toMatch(
      /resolves to 127\.0\.0\.1, a loopback/,
    );
    const result = await deliverWebhook(request(`http://hooks.rebind.test:${receiverPort}/hook`), {
      timeoutMs: 2000,
      allowPrivateUrls: false,
    });
    expect(result).toMatchObject({ outcome: "refused", errorClass: "forbidden_address" });
    expect(result.errorMessage).toMatch(/hooks\.rebind\.test resolves to 127\.0\.0\.1/);
  });

  it("connects through the configured DNS servers when the address is allowed", async () => {
    answers.set("local.rebind.test", "127.0.0.1");
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
