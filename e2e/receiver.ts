import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

const MAX_BODY = 5 * 1024 * 1024;

export type ReceivedWebhook = {
  method: string;
  path: string;
  headers: Record<string, string>;
  rawBody: string;
  json: unknown;
  /** null when the receiver has no secret to check with. */
  signatureValid: boolean | null;
  signatureError?: string;
  /** null when the receiver expects no authentication. */
  authValid: boolean | null;
  receivedAt: Date;
};

export type ReceiverReply = { status: number; headers?: Record<string, string>; body?: string };

export type ReceiverOptions = {
  port?: number;
  host?: string;
  secret?: string;
  bearerToken?: string;
  authHeader?: { key: string; value: string };
  respond?: (webhook: ReceivedWebhook) => ReceiverReply | Promise<ReceiverReply>;
};

export type Receiver = {
  url: string;
  port: number;
  received: ReceivedWebhook[];
  waitFor: (predicate?: (w: ReceivedWebhook) => boolean, timeoutMs?: number) => Promise<ReceivedWebhook>;
  clear: () => void;
  setSecret: (secret: string) => void;
  setAuth: (auth: Pick<ReceiverOptions, "bearerToken" | "authHeader">) => void;
  respondWith: (respond: ReceiverOptions["respond"]) => void;
  close: () => Promise<void>;
};

/**
 * A webhook receiver on 127.0.0.1 that records every request and verifies it the way a customer would:
 * the signature with the standardwebhooks library, and the configured Bearer token or auth header.
 */
export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const state = { ...options };
  const received: ReceivedWebhook[] = [];
  const waiters = new Set<() => void>();

  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    if (raw === null) {
      res.writeHead(413).end();
      return;
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [
        k.toLowerCase(),
        Array.isArray(v) ? v.join(", ") : (v ?? ""),
      ]),
    );
    const webhook: ReceivedWebhook = {
      method: req.method ?? "",
      path: req.url ?? "/",
      headers,
      rawBody: raw,
      json: parseJson(raw),
      signatureValid: null,
      authValid: checkAuth(headers, state),
      receivedAt: new Date(),
    };
    if (state.secret) {
      try {
        new Webhook(state.secret).verify(raw, headers);
        webhook.signatureValid = true;
      } catch (error) {
        webhook.signatureValid = false;
        webhook.signatureError = error instanceof Error ? error.message : String(error);
      }
    }
    received.push(webhook);
    for (const wake of waiters) wake();
    let reply: ReceiverReply = { status: 200, body: '{"ok":true}' };
    try {
      if (state.respond) reply = await state.respond(webhook);
    } catch (error) {
      reply = { status: 500, body: JSON.stringify({ error: String(error) }) };
    }
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(reply.body ?? "");
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve),
  );
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    received,
    waitFor(predicate = () => true, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = received.find(predicate);
          if (!match) return false;
          cleanup();
          resolve(match);
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`No matching webhook within ${timeoutMs} ms (received ${received.length})`));
        }, timeoutMs);
        const wake = () => void check();
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        waiters.add(wake);
        check();
      });
    },
    clear: () => void received.splice(0),
    setSecret(secret) {
      state.secret = secret;
    },
    setAuth(auth) {
      Object.assign(state, { bearerToken: undefined, authHeader: undefined }, auth);
    },
    respondWith(respond) {
      state.respond = respond;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(null));
  });
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

function checkAuth(headers: Record<string, string>, options: ReceiverOptions): boolean | null {
  if (options.bearerToken) return same(headers.authorization ?? "", `Bearer ${options.bearerToken}`);
  if (options.authHeader)
    return same(headers[options.authHeader.key.toLowerCase()] ?? "", options.authHeader.value);
  return null;
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
