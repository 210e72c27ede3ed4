import { createServer, type Server } from "node:http";

/**
 * A port the sink can give up and take again: below Linux's ephemeral range (32768-60999), where a client's
 * connection never gets its source port, and free when chosen (tried by listening on it), so another test
 * file's sink in a parallel worker is unlikely to hold it.
 */
async function freeFixedPort(): Promise<number> {
  for (let tries = 0; ; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const probe = createServer();
    const free = await new Promise<boolean>((resolve) => {
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => resolve(true));
    });
    if (free) {
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      return port;
    }
    if (tries >= 50) throw new Error("No free port between 20000 and 32000 for the Inngest sink");
  }
}

/**
 * A stand-in for Inngest's event API on 127.0.0.1, which the Inngest client is pointed at: it answers like
 * Inngest and keeps what it got; a test turns it on (`up`) or off (`down`). The client reads its settings
 * once, at import, so a test file makes it before its imports run:
 *
 *   const sink = await vi.hoisted(async () => (await import("@/testing/inngest-sink")).inngestSink());
 */
export async function inngestSink() {
  const port = await freeFixedPort();
  process.env.INNGEST_DEV = "1";
  process.env.INNGEST_BASE_URL = `http://127.0.0.1:${port}`;
  return {
    server: undefined as Server | undefined,
    received: [] as { id: string; name: string; data: { eventId: string } }[],
    /** Holds each answer until this promise settles (to see who waits for Inngest). */
    hold: undefined as Promise<void> | undefined,
    async up() {
      if (this.server) return;
      this.server = createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", async () => {
          const sent = JSON.parse(body) as typeof this.received;
          await this.hold;
          this.received.push(...sent);
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ ids: sent.map((e) => e.id), status: 200 }));
        });
      });
      await new Promise<void>((resolve) => this.server?.listen(port, "127.0.0.1", resolve));
    },
    async down() {
      const server = this.server;
      this.server = undefined;
      if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
