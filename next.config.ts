import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pino", "pg-boss"],
  poweredByHeader: false,
  // Compression belongs to the HTTPS proxy in front (README, Production): in the server it cost a quarter of
  // next start's CPU per request (0.83 -> 0.61 cores answering 200 requests/s), the ingest route's hot path.
  compress: false,
  typedRoutes: true,
};

export default nextConfig;
