import type { LookupAddress } from "node:dns";
import { Agent, type Dispatcher, ProxyAgent } from "undici";
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
    // The proxy makes the connection, so the address check happens here, on the name's current answers.
    if (!options.allowPrivateUrls) await assertPublicName(hostname);
    return cached(
      `proxy:${options.egressProxyUrl}`,
      () => new ProxyAgent({ uri: options.egressProxyUrl as string }),
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
      for (const { address } of addresses) {
        const reason = forbiddenAddressReason(address);
        if (reason) {
          const message = `${hostname} resolves to ${address}, ${reason}; leadhook does not deliver there`;
          return callback(new ForbiddenAddressError(message), []);
        }
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

async function assertPublicName(hostname: string): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    guardedLookup(hostname, { all: true }, (err) => (err ? reject(err) : resolve())),
  );
}
