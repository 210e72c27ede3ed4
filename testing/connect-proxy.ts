import { createServer } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";

/**
 * A forward proxy on 127.0.0.1 for tests: it records every CONNECT target as asked, then tunnels to the
 * asked port on 127.0.0.1, whatever host it was asked for, so a test can never reach off the machine.
 * `refuseWith` makes it answer CONNECT with that status instead. Plain proxy requests get 405.
 */
export async function startConnectProxy(options: { refuseWith?: number } = {}) {
  const targets: string[] = [];
  const open = new Set<Socket>();
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on("connect", (req, client: Socket, head) => {
    targets.push(req.url ?? "");
    open.add(client);
    client.on("error", () => client.destroy());
    if (options.refuseWith) {
      client.end(`HTTP/1.1 ${options.refuseWith} Refused\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const port = Number(/:(\d+)$/.exec(req.url ?? "")?.[1]);
    const upstream = connect(port, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    open.add(upstream);
    upstream.on("error", () => client.end("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"));
    client.on("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** The CONNECT targets asked for, in order (`host:port`, as the request line had them). */
    targets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
