export type ErrorClass =
  | "http_status"
  | "redirect"
  | "timeout"
  | "connection_refused"
  | "connection_reset"
  | "dns"
  | "tls"
  | "forbidden_address"
  | "no_egress"
  | "protocol"
  | "network";

type Coded = { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };

/** Names what went wrong with a request, in plain words an admin can act on. */
export function classifyError(
  error: unknown,
  timeoutMs: number,
): { errorClass: ErrorClass; message: string } {
  const chain: Coded[] = [];
  for (let e: unknown = error; e && typeof e === "object" && chain.length < 5; e = (e as Coded).cause)
    chain.push(e as Coded);
  const codes = chain.map((e) => String(e.code ?? ""));
  const names = chain.map((e) => String(e.name ?? ""));
  const detail = String(chain.find((e) => e.message)?.message ?? "unknown error");
  const has = (...wanted: string[]) => codes.some((c) => wanted.includes(c));

  if (has("LEADHOOK_FORBIDDEN_ADDRESS")) return { errorClass: "forbidden_address", message: detail };
  if (has("LEADHOOK_NO_EGRESS")) return { errorClass: "no_egress", message: detail };
  if (has("LEADHOOK_EGRESS_PROXY")) return { errorClass: "network", message: detail };
  if (
    has("UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT", "ETIMEDOUT") ||
    names.some((n) => n === "TimeoutError" || n === "AbortError")
  ) {
    return { errorClass: "timeout", message: `No complete answer within ${timeoutMs / 1000} s` };
  }
  if (has("ECONNREFUSED")) return { errorClass: "connection_refused", message: "The connection was refused" };
  if (
    has("ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NODATA", "ENODATA", "ESERVFAIL", "EREFUSED", "ETIMEOUT")
  ) {
    return { errorClass: "dns", message: `The host name could not be resolved (${detail})` };
  }
  if (
    codes.some((c) => /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(c)) ||
    /certificate|ssl|tls/i.test(detail)
  ) {
    return { errorClass: "tls", message: `TLS failed: ${detail}` };
  }
  if (has("ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED")) {
    return { errorClass: "connection_reset", message: "The connection was closed before a complete answer" };
  }
  if (
    codes.some((c) => c.startsWith("HPE_")) ||
    names.includes("HTTPParserError") ||
    has("UND_ERR_INVALID_ARG", "UND_ERR_RES_CONTENT_LENGTH_MISMATCH")
  ) {
    return { errorClass: "protocol", message: `The receiver did not speak valid HTTP (${detail})` };
  }
  return { errorClass: "network", message: detail };
}
