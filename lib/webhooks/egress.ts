import type { LookupAddress } from "node:dns";
import { isIP, type Socket } from "node:net";
import { Agent, buildConnector, type Dispatcher, Pool } from "undici";
import { forbiddenAddressReason, forbiddenHostReason } from "../url-safety";
import { resolveHost } from "./resolve";

// The egress guard: which way a webhook leaves (straight out, or through the static egress proxy) and the
// address checks on the way. It knows the URL and the whitelisting flag, never the request itself.

export type EgressOptions = {
  allowPrivateUrls: boolean;
  /** The forward proxy whitelisted callbacks leave through (CALLBACK_EGRESS_PROXY_URL). */
  egressProxyUrl?: string;
};

export class ForbiddenAddressError extends Error {
  readonly code = "LEADHOOK_FORBIDDEN_ADDRESS";
}

export class NoEgressError extends Error {
  readonly code = "LEADHOOK_NO_EGRESS";
}

/** The egress proxy would not open the tunnel (it answered something other than 200 to CONNECT). */
export class EgressProxyError extends Error {
  readonly code = "LEADHOOK_EGRESS_PROXY";
}

const agents = new Map<string, Dispatcher>();

/**
 * The dispatcher a webhook to `url` is sent through: the egress proxy when the callback requires a
 * whitelisted source, else a direct agent whose lookup refuses forbidden addresses at connect time. Throws
 * ForbiddenAddressError for a forbidden host and NoEgressError when whitelisting is asked for without a proxy.
 */
export async function dispatcherFor(
  url: string,
  requiresWhitelisting: boolean,
  options: EgressOptions,
): Promise<Dispatcher> {
  const { hostname } = new URL(url);
  if (!options.allowPrivateUrls) {
    const reason = forbiddenHostReason(hostname);
    if (reason) throw new ForbiddenAddressError(`${hostname} is ${reason}; leadhook does not deliver there`);
  }
  if (requiresWhitelisting) {
    if (!options.egressProxyUrl) {
      throw new NoEgressError(
        "No static egress configured: this callback requires a whitelisted source, but CALLBACK_EGRESS_PROXY_URL is not set",
      );
    }
    const proxyUrl = options.egressProxyUrl;
    return cached(`proxy:${options.allowPrivateUrls}:${proxyUrl}`, () =>
      proxyTunnelAgent(proxyUrl, options.allowPrivateUrls ? plainLookup : guardedLookup),
    );
  }
  return cached(
    `direct:${options.allowPrivateUrls}`,
    () => new Agent({ connect: { lookup: options.allowPrivateUrls ? plainLookup : guardedLookup } }),
  );
}

function cached(key: string, make: () => Dispatcher): Dispatcher {
  let agent = agents.get(key);
  if (!agent) {
    agent = make();
    agents.set(key, agent);
  }
  return agent;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A dns.lookup for sockets that refuses forbidden addresses, so the address connected to is the one
 * checked (a name that was public when saved and points inside the network now is still refused).
 */
export function guardedLookup(
  hostname: string,
  options: { all?: boolean; family?: number | string },
  callback: LookupCallback,
) {
  resolveHost(hostname).then(
    (addresses) => {
      // The attempt log does not say which address: it would answer DNS questions about internal names.
      if (addresses.some(({ address }) => forbiddenAddressReason(address))) {
        const message = `${hostname} resolves to a non-public address; leadhook does not deliver there`;
        return callback(new ForbiddenAddressError(message), []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) {
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), []);
      }
      callback(null, first.address, first.family);
    },
    (error: NodeJS.ErrnoException) => callback(error, []),
  );
}

/** The same resolution without the address check, for ALLOW_PRIVATE_CALLBACK_URLS=true. */
function plainLookup(hostname: string, options: { all?: boolean }, callback: LookupCallback) {
  resolveHost(hostname).then(
    (addresses) => {
      const first = addresses[0];
      if (options.all) callback(null, addresses);
      else if (first) callback(null, first.address, first.family);
      else callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), []);
    },
    (error: NodeJS.ErrnoException) => callback(error, []),
  );
}

type Lookup = (hostname: string, options: { all?: boolean }, callback: LookupCallback) => void;

/**
 * An agent whose connections are tunnels through the egress proxy (HTTP CONNECT, for http and https
 * targets alike). The name is resolved and checked here, once per connection, and the proxy is asked to
 * connect to that address as an IP literal: a proxy given the name would look it up again, and an answer
 * that changed in between (public, then internal) would reach inside the network. The name stays in the Host
 * header (the request's origin) and, for https, in TLS's SNI and certificate check.
 */
function proxyTunnelAgent(proxyUrl: string, lookup: Lookup): Agent {
  const proxy = new URL(proxyUrl);
  const proxyHeaders: Record<string, string> = {};
  if (proxy.username || proxy.password) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    proxyHeaders["proxy-authorization"] = `Basic ${Buffer.from(credentials).toString("base64")}`;
  }
  // A pool, as undici's ProxyAgent uses: each CONNECT takes its socket over, so one client would open tunnels
  // one at a time.
  const tunnels = new Pool(proxy.origin, { headersTimeout: 60_000 });
  const tls = buildConnector({});
  return new Agent({
    connect(options, callback) {
      const hostname = options.hostname.replace(/^\[(.*)\]$/, "$1");
      const port = options.port || (options.protocol === "https:" ? "443" : "80");
      addressFor(hostname, lookup)
        .then(async ({ address, family }) => {
          const target = family === 6 ? `[${address}]:${port}` : `${address}:${port}`;
          const { socket: duplex, statusCode } = await tunnels.connect({
            path: target,
            headers: { ...proxyHeaders, host: target },
          });
          const socket = duplex as Socket; // the proxy connection's own socket, handed over by undici
          if (statusCode !== 200) {
            socket.destroy();
            throw new EgressProxyError(
              `The egress proxy did not connect to ${hostname}:${port} (it answered ${statusCode})`,
            );
          }
          if (options.protocol !== "https:") return callback(null, socket);
          // SNI and the certificate check use the name (undici leaves servername out for an IP literal).
          const servername = options.servername || (isIP(hostname) ? undefined : hostname);
          tls({ ...options, servername, httpSocket: socket }, callback);
        })
        .catch((error: Error) => callback(error, null));
    },
  });
}

/**
 * The one address a connection goes to: a name through `lookup` (which refuses forbidden answers unless
 * private URLs are allowed); an IP literal as it is (dispatcherFor has checked it by then).
 */
function addressFor(hostname: string, lookup: Lookup): Promise<LookupAddress> {
  const family = isIP(hostname);
  if (family) return Promise.resolve({ address: hostname, family });
  return new Promise((resolve, reject) =>
    lookup(hostname, {}, (error, address, family) =>
      error ? reject(error) : resolve({ address: address as string, family: family ?? 4 }),
    ),
  );
}
