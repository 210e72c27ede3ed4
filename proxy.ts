import { type NextRequest, NextResponse } from "next/server";

/**
 * Runs before every page (not the API routes, not static files): a Content-Security-Policy with a nonce of
 * its own per request, which Next.js puts on the scripts it renders, so no other inline script runs and no
 * site can frame leadhook; and a server action whose Origin differs from this server in scheme (an http
 * page posting to the https app, say) is refused. Next.js itself compares only the host.
 */
export function proxy(request: NextRequest) {
  if (request.method === "POST" && request.headers.has("next-action")) {
    const origin = request.headers.get("origin");
    if (origin && safeProtocol(origin) !== `${requestScheme(request)}:`) {
      return NextResponse.json(
        { error: { code: "forbidden", message: "This request came from another origin." } },
        { status: 403 },
      );
    }
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy); // Next.js reads the nonce from here
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    // React's development build evaluates code for its stack traces; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** http or https: what the HTTPS proxy in front says (X-Forwarded-Proto), else this connection's own. */
function requestScheme(request: NextRequest): string {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return forwarded === "https" || forwarded === "http"
    ? forwarded
    : request.nextUrl.protocol.replace(":", "");
}

function safeProtocol(origin: string): string | null {
  try {
    return new URL(origin).protocol;
  } catch {
    return null;
  }
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|icon.svg).*)",
      // Prefetches render no page a script could run in.
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
