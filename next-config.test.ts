import { networkInterfaces } from "node:os";
import { describe, expect, it } from "vitest";
import nextConfig from "./next.config";

describe("next.config", () => {
  it("lets `npm run dev` hydrate at 127.0.0.1 and at each address of this machine it prints", () => {
    // Next.js refuses its dev resources to any other origin than localhost: the page never hydrated, and
    // the owner form submitted natively.
    const addresses = Object.values(networkInterfaces())
      .flat()
      .filter((nic) => nic?.family === "IPv4" && !nic.internal)
      .map((nic) => nic?.address);
    expect(nextConfig.allowedDevOrigins).toEqual(expect.arrayContaining(["127.0.0.1", ...addresses]));
  });

  it("sends security headers with every response", async () => {
    const rules = (await nextConfig.headers?.()) ?? [];
    const all = rules.find((rule) => rule.source === "/:path*");
    expect(Object.fromEntries((all?.headers ?? []).map((h) => [h.key, h.value]))).toMatchObject({
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "X-Frame-Options": "DENY",
    });
  });
});
