import "server-only";
import { forbiddenAddressReason, isIpLiteral, PRIVATE_URL_HINT } from "../url-safety";
import { resolveHost } from "./resolve";

const LOOKUP_TIMEOUT_MS = 3000;

/**
 * Resolves a URL's host and returns why it may not be a webhook target when any address it resolves
 * to is forbidden. A name that does not resolve (or not in time) is no problem here: deliveries will
 * report it, and they check the address they connect to again.
 */
export async function resolvedHostProblem(url: string): Promise<string | null> {
  let hostname: string;
  try {
    hostname = new URL(url).hostname;
  } catch {
    return null;
  }
  if (isIpLiteral(hostname)) return null; // judged without DNS by the shared schema
  const addresses = await Promise.race([
    resolveHost(hostname).catch(() => []),
    new Promise<[]>((resolve) => setTimeout(() => resolve([]), LOOKUP_TIMEOUT_MS).unref()),
  ]);
  // Which address, and of what kind, is not said: the form would be a DNS lookup tool for internal names.
  if (addresses.some(({ address }) => forbiddenAddressReason(address))) {
    return `${hostname} resolves to a non-public address, which cannot receive callbacks. ${PRIVATE_URL_HINT}`;
  }
  return null;
}
