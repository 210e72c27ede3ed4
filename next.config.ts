import { networkInterfaces } from "node:os";
import type { NextConfig } from "next";

const production = process.env.NODE_ENV === "production";

/** The hosts `next dev` prints (this machine's own addresses), so a page opened at any of them hydrates. */
const devOrigins = [
  "127.0.0.1",
  ...Object.values(networkInterfaces())
    .flat()
    .flatMap((nic) => (nic && nic.family === "IPv4" && !nic.internal ? [nic.address] : [])),
];

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pino", "pg-boss"],
  poweredByHeader: false,
  // Compression belongs to the HTTPS proxy in front (README, Production): in the server it cost a quarter of
  // next start's CPU per request (0.83 -> 0.61 cores answering 200 requests/s), the ingest route's hot path.
  compress: false,
  typedRoutes: true,
  allowedDevOrigins: devOrigins,
  // On every response (pages get their Content-Security-Policy from proxy.ts, with a nonce per request).
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          ...(production ? [{ key: "Strict-Transport-Security", value: "max-age=63072000" }] : []),
        ],
      },
    ];
  },
};

export default nextConfig;
