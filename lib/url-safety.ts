import ipaddr from "ipaddr.js";

/** Why an address may not receive webhooks, in words an admin understands. */
const rangeReasons: Record<string, string> = {
  unspecified: "an unspecified address",
  broadcast: "a broadcast address",
  multicast: "a multicast address",
  linkLocal: "a link-local address (cloud metadata lives there)",
  loopback: "a loopback address",
  carrierGradeNat: "a carrier-grade NAT address",
  private: "a private network address",
  uniqueLocal: "a private network address",
  reserved: "a reserved address",
};

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");

/**
 * Returns why `address` (an IPv4 or IPv6 literal) must not be a webhook target, or null when it is a
 * public unicast address. IPv4-mapped IPv6 addresses are judged by the IPv4 address they carry; any other
 * IPv6 address must be global unicast (2000::/3) outside the special ranges, which refuses IPv4-compatible
 * forms like ::127.0.0.1 (::/96) and NAT64, 6to4 and Teredo addresses that carry an IPv4 one.
 */
export function forbiddenAddressReason(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!ipaddr.isValid(bare)) return "not an IP address";
  let parsed = ipaddr.parse(bare);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  if (parsed.kind() === "ipv6" && !parsed.match(GLOBAL_UNICAST_V6)) {
    return rangeReasons[range] ?? "a non-global IPv6 address";
  }
  if (range === "unicast") return null;
  return rangeReasons[range] ?? `a special-purpose address (${range})`;
}

/** True when `hostname` is an IP literal (as WHATWG URL normalises it: IPv6 in brackets). */
export function isIpLiteral(hostname: string): boolean {
  return ipaddr.isValid(hostname.replace(/^\[|\]$/g, ""));
}

/**
 * Judges a URL's host without any DNS: IP literals (URL parsing already turned decimal, hex and octal
 * forms like http://2130706433/ into dotted IPv4) and the names reserved for this machine.
 * Returns the reason it is forbidden, or null.
 */
export function forbiddenHostReason(hostname: string): string | null {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) return "a loopback address";
  if (isIpLiteral(host)) return forbiddenAddressReason(host);
  return null;
}

/** How to reach a receiver on this machine or a private network while testing. */
export const PRIVATE_URL_HINT =
  "To test with a local receiver, run leadhook with ALLOW_PRIVATE_CALLBACK_URLS=true (npm run dev allows them by default).";
