import type { LookupAddress } from "node:dns";
import { lookup, Resolver } from "node:dns/promises";
import { getEnv } from "../env";

/**
 * The addresses a callback host resolves to: through the DNS servers in CALLBACK_DNS_SERVERS when set
 * (A and AAAA records), otherwise through the system resolver (getaddrinfo, as sockets use by default).
 */
export async function resolveHost(hostname: string): Promise<LookupAddress[]> {
  const servers = getEnv().CALLBACK_DNS_SERVERS;
  if (!servers.length) return lookup(hostname, { all: true, verbatim: true });
  const resolver = new Resolver({ timeout: 2000, tries: 2 });
  resolver.setServers(servers);
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(hostname), resolver.resolve6(hostname)]);
  const addresses = [
    ...(v4.status === "fulfilled" ? v4.value.map((address) => ({ address, family: 4 })) : []),
    ...(v6.status === "fulfilled" ? v6.value.map((address) => ({ address, family: 6 })) : []),
  ];
  if (!addresses.length) {
    const reason = v4.status === "rejected" ? (v4.reason as NodeJS.ErrnoException) : undefined;
    throw Object.assign(new Error(`${hostname} has no address (${reason?.code ?? "ENODATA"})`), {
      code: reason?.code ?? "ENOTFOUND",
    });
  }
  return addresses;
}
