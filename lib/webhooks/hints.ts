/** What is known of one attempt: a recorded delivery_attempts row, a Send test summary, or a delivery's last try. */
export type HintedAttempt = {
  outcome: string;
  responseStatus: number | null;
  /** errors.ts's class; null when only the message is known (a delivery's lastError), read from its words. */
  errorClass: string | null;
  errorMessage: string | null;
  /** The wait a 429/503 asked for: a number when known, null when it gave none, absent when not recorded. */
  retryAfterMs?: number | null;
};

export type HintContext = { requiresWhitelisting: boolean; egressIps: readonly string[] };

export type FailureHint = {
  /** What to do, in the guide's words. */
  hint: string;
  /** The precise fact behind it: status code, error code, message excerpt. */
  detail: string;
};

const DEFAULT_TIMEOUT_S = 10;
const MAX_DETAIL = 300;

/**
 * Says in plain words what a failed attempt means and what the receiver's owner can do about it, with
 * the technical fact beside it; null for a success, a skipped attempt, or a failure nothing is known of.
 * "Requires source to be whitelisted" turns refused, reset, timed-out and failed connections into "your
 * server may be blocking our source addresses", naming `context.egressIps`. Nothing in it names server
 * configuration an admin cannot change.
 */
export function failureHint(attempt: HintedAttempt, context: HintContext): FailureHint | null {
  if (attempt.outcome === "succeeded" || attempt.outcome === "skipped") return null;
  const errorClass = attempt.errorClass ?? classFromWords(attempt);
  if (!errorClass) return null;
  const message = attempt.errorMessage ?? "";
  const status = attempt.responseStatus;
  const detail = excerpt(
    message || (status === null ? errorClass.replaceAll("_", " ") : `The receiver answered HTTP ${status}`),
  );
  const say = (hint: string, precise = detail): FailureHint => ({ hint, detail: precise });

  switch (errorClass) {
    case "http_status":
      return status === null ? null : say(statusHint(status, attempt.retryAfterMs));
    case "redirect": {
      const location = /\(redirect to (.+)\); redirects are not followed$/.exec(message)?.[1];
      return say(`Redirects are not followed: use the final URL${location ? ` (${location})` : ""}`);
    }
    case "timeout": {
      const seconds = /within ([\d.]+) s/.exec(message)?.[1] ?? String(DEFAULT_TIMEOUT_S);
      const answer = `200 within ${seconds} s and process the update afterwards`;
      // A blocked source and a slow endpoint look the same from here: both are worth saying.
      if (context.requiresWhitelisting) {
        return say(`${blockedSourceHint(context.egressIps)}; if it is only slow, answer ${answer}`);
      }
      return say(`Answer ${answer}`);
    }
    case "connection_refused":
    case "connection_reset":
    case "network":
      // Through the static egress proxy, a target that turns us away can show as any of these.
      if (context.requiresWhitelisting) return say(blockedSourceHint(context.egressIps));
      if (errorClass === "connection_refused") {
        return say("Your server refused the connection: is it running and listening on that port?");
      }
      if (errorClass === "connection_reset") {
        return say(
          "Your server closed the connection before answering: check its logs, and any firewall or proxy in front of it",
        );
      }
      return say("The connection to your endpoint failed: check that it is reachable from the internet");
    case "dns":
      return say("The host name does not resolve: check the URL for typos and the domain's DNS records");
    case "tls":
      return say(tlsHint(message));
    case "forbidden_address":
      return say(
        "This URL leads to a private or internal address, where updates are never sent: use your endpoint's public URL",
      );
    case "no_egress":
      return say(
        'This callback requires a whitelisted source, but no static source addresses are set up: ask your administrator to set up static egress, or turn off "Requires source to be whitelisted"',
        "No static egress configured",
      );
    case "protocol":
      return say(
        "Your endpoint did not answer with valid HTTP: check the URL's scheme (http or https) and port",
      );
    default:
      return say("Something went wrong reaching your endpoint: check the detail and its logs");
  }
}

/** The first clause of a hint ("Your endpoint rejected our credentials"), for a table cell. */
export function shortHint(hint: string): string {
  const cut = hint.indexOf(": ");
  return cut > 0 ? hint.slice(0, cut) : hint;
}

function statusHint(status: number, retryAfterMs: number | null | undefined): string {
  if (status === 401 || status === 403) {
    return "Your endpoint rejected our credentials: check the Bearer Token or the auth header";
  }
  if (status === 404 || status === 405) return "Your endpoint does not accept POST at this URL";
  if (status === 410) {
    return "Your endpoint answered Gone, so the callback was turned off: switch Enabled back on and save once it accepts updates again";
  }
  if (status === 429 || status === 503) {
    const when =
      typeof retryAfterMs === "number"
        ? `we retry in ${formatWait(retryAfterMs)}, the time it gave`
        : retryAfterMs === null
          ? "it gave no time, so we retry on our own schedule"
          : "we retry after the time it gave";
    return status === 429
      ? `Your endpoint asked us to slow down (429): ${when}`
      : `Your endpoint is unavailable for now and asked us to wait (503): ${when}`;
  }
  if (status >= 500) return `Your endpoint failed with an error (${status}): check its logs`;
  if (status >= 400) {
    return `Your endpoint refused the update (${status}): check its logs for why it rejected the request`;
  }
  return `Your endpoint answered ${status}, which is not a success: answer 200 once the update is received`;
}

function blockedSourceHint(egressIps: readonly string[]): string {
  const base = "Your server may be blocking our source addresses";
  return egressIps.length > 0
    ? `${base}: allow ${egressIps.join(", ")}`
    : `${base}: ask your administrator which addresses to allow`;
}

/** Node's OpenSSL messages name the fault ("certificate has expired", "self-signed certificate", ...). */
const tlsFaults: [RegExp, string][] = [
  [/expired/i, "Your endpoint's TLS certificate has expired: renew it"],
  [
    /not yet valid/i,
    "Your endpoint's TLS certificate is not valid yet: check its start date and the server's clock",
  ],
  [/revoked/i, "Your endpoint's TLS certificate was revoked: install a new one"],
  [
    /altname|does not match|hostname\/ip/i,
    "Your endpoint's TLS certificate is for another host name: use one that covers the URL's host",
  ],
  [
    /self[- ]signed/i,
    "Your endpoint's TLS certificate is self-signed: use one from a public certificate authority",
  ],
  [
    /unable to (get local issuer|get issuer|verify the first)|unknown ca|untrusted/i,
    "Your endpoint's TLS certificate is not from a trusted issuer, or the server does not send its intermediate certificates: install the full chain from a public certificate authority",
  ],
  [
    /wrong version number|packet length too long|unknown protocol|http request/i,
    "The URL says https, but the server on that port does not speak TLS: check the scheme and port",
  ],
  [
    /handshake failure|unsupported protocol|no protocols available|version too low|no shared cipher/i,
    "Your endpoint and leadhook share no TLS version or cipher: enable TLS 1.2 or later on it",
  ],
  [
    /disconnected before secure tls/i,
    "Your endpoint closed the connection during the TLS handshake: check its certificate setup and any firewall in front of it",
  ],
];

function tlsHint(message: string): string {
  for (const [pattern, hint] of tlsFaults) if (pattern.test(message)) return hint;
  return "The secure (TLS) connection to your endpoint failed: check its certificate and TLS setup";
}

/** The class of a failure known only by its recorded words (errors.ts, deliver.ts and egress.ts write them). */
function classFromWords({ responseStatus, errorMessage }: HintedAttempt): string | null {
  if (responseStatus !== null)
    return responseStatus >= 300 && responseStatus < 400 ? "redirect" : "http_status";
  const message = errorMessage ?? "";
  const known: [RegExp, string][] = [
    [/does not deliver there/, "forbidden_address"],
    [/^No static egress/, "no_egress"],
    [/^No complete answer within/, "timeout"],
    [/^The connection was refused/, "connection_refused"],
    [/^The host name could not be resolved/, "dns"],
    [/^TLS failed/, "tls"],
    [/^The connection was closed before/, "connection_reset"],
    [/^The receiver did not speak valid HTTP/, "protocol"],
    [/^The egress proxy did not connect/, "network"],
  ];
  return known.find(([pattern]) => pattern.test(message))?.[1] ?? null;
}

function formatWait(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}

function excerpt(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text;
}
