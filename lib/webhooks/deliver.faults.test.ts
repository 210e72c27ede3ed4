import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { deliverWebhook, type WebhookRequest } from "./deliver";

// Receivers that misbehave at the TCP level, served by raw sockets on 127.0.0.1: every attempt must end
// within the timeout with the right outcome, reading no more than it needs.
const TIMEOUT_MS = 1500;
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function tcpReceiver(onConnection: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
    onConnection(socket);
  });
  const close = server.close.bind(server);
  server.close = ((cb?: (err?: Error) => void) => {
    for (const s of sockets) s.destroy();
    return close(cb);
  }) as Server["close"];
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/hook`;
}

const request = (url: string): WebhookRequest => ({
  url,
  webhookId: "msg_test",
  body: '{"type":"call.completed"}',
  signingSecret: `whsec_${Buffer.alloc(32, 1).toString("base64")}`,
  auth: { type: "none" },
  requiresWhitelisting: false,
});
const send = (url: string) => deliverWebhook(request(url), { timeoutMs: TIMEOUT_MS, allowPrivateUrls: true });
const onRequest = (socket: Socket, answer: () => void) => {
  let seen = "";
  socket.on("data", (chunk) => {
    seen += chunk.toString();
    if (seen.includes("\r\n\r\n") && seen.includes('"type"')) answer();
  });
};

describe("deliveries to misbehaving receivers", () => {
  it("times out a receiver that trickles its headers", async () => {
    const url = await tcpReceiver((socket) =>
      onRequest(socket, () => {
        socket.write("HTTP/1.1 200 OK\r\n");
        const timer = setInterval(() => socket.writable && socket.write("X-Slow: 1\r\n"), 200);
        socket.on("close", () => clearInterval(timer));
      }),
    );
    const started = Date.now();
    const result = await send(url);
    expect(result).toMatchObject({ outcome: "retry", errorClass: "timeout" });
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
  });

  it("times out a receiver that never answers", async () => {
    const url = await tcpReceiver(() => {});
    const result = await send(url);
    expect(result).toMatchObject({ outcome: "retry", errorClass: "timeout", responseStatus: null });
    expect(result.latencyMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(result.latencyMs).toBeLessThan(TIMEOUT_MS + 1000);
  });

  it("times out a receiver that answers at once but trickles its body, within the one deadline", async () => {
    const url = await tcpReceiver((socket) =>
      onRequest(socket, () => {
        socket.write("HTTP/1.1 200 OK\r\nContent-Length: 4096\r\n\r\n");
        // A byte every 200 ms never trips the body's idle timeout; only the deadline for the whole request.
        const timer = setInterval(() => socket.writable && socket.write("a"), 200);
        socket.on("close", () => clearInterval(timer));
      }),
    );
    const result = await send(url);
    expect(result).toMatchObject({ outcome: "retry", errorClass: "timeout", responseStatus: null });
    expect(result.latencyMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(result.latencyMs).toBeLessThan(TIMEOUT_MS + 1000);
  });

  it("reads only 2 KB of a 50 MB answer and moves on", async () => {
    let written = 0;
    const url = await tcpReceiver((socket) =>
      onRequest(socket, () => {
        socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n`);
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        const pump = () => {
          while (written < 50 * 1024 * 1024 && socket.writable) {
            written += chunk.length;
            if (!socket.write(chunk)) return socket.once("drain", pump);
          }
        };
        pump();
      }),
    );
    const heapBefore = process.memoryUsage().heapUsed;
    const result = await send(url);
    expect(result).toMatchObject({ outcome: "succeeded", responseStatus: 200 });
    expect(result.responseExcerpt).toHaveLength(2048);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(20 * 1024 * 1024);
    expect(written).toBeLessThan(50 * 1024 * 1024);
  });

  it("reports a connection reset in the middle of the body", async () => {
    const url = await tcpReceiver((socket) =>
      onRequest(socket, () => {
        socket.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial");
        setTimeout(() => socket.resetAndDestroy(), 50);
      }),
    );
    const result = await send(url);
    expect(result.outcome).toBe("retry");
    expect(["connection_reset", "protocol"]).toContain(result.errorClass);
  });

  it("reports a receiver that does not speak HTTP", async () => {
    const url = await tcpReceiver((socket) => onRequest(socket, () => socket.end("SSH-2.0-OpenSSH_9.6\r\n")));
    const result = await send(url);
    expect(result).toMatchObject({ outcome: "retry", errorClass: "protocol", responseStatus: null });
  });

  it("reports a connection closed before any answer", async () => {
    const url = await tcpReceiver((socket) => onRequest(socket, () => socket.destroy()));
    const result = await send(url);
    expect(result).toMatchObject({ outcome: "retry", errorClass: "connection_reset" });
  });
});

describe("forbidden targets at connect time", () => {
  const targets = [
    "http://127.0.0.1/",
    "http://127.255.255.254/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0x7f.0.0.1/",
    "http://0177.0.0.1/",
    "http://017700000001/",
    "http://127.1/",
    "http://localhost/",
    "http://LOCALHOST./",
    "http://api.localhost/",
    "http://[::1]/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://10.0.0.1/",
    "http://10.255.255.255/",
    "http://172.16.0.1/",
    "http://172.31.0.1/",
    "http://192.168.0.1/",
    "http://3232235521/",
    "http://0xc0a80001/",
    "http://[::ffff:192.168.0.1]/",
    "http://[fc00::1]/",
    "http://[fd00:ec2::254]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://2852039166/",
    "http://0xa9fea9fe/",
    "http://[::ffff:169.254.169.254]/",
    "http://[fe80::1]/",
    "http://100.64.0.1/",
    "http://100.100.100.200/",
    "http://0.0.0.0/",
    "http://0/",
    "http://[::]/",
    "http://224.0.0.1/",
    "http://[ff02::1]/",
    "http://255.255.255.255/",
    "http://240.0.0.1/",
  ];

  it(`refuses all ${targets.length} without connecting`, async () => {
    expect(targets.length).toBeGreaterThanOrEqual(30);
    for (const url of targets) {
      const result = await deliverWebhook(request(url), { timeoutMs: TIMEOUT_MS, allowPrivateUrls: false });
      expect({ url, outcome: result.outcome, errorClass: result.errorClass }).toEqual({
        url,
        outcome: "refused",
        errorClass: "forbidden_address",
      });
    }
  });
});
