import { isIP } from "node:net";
import { z } from "zod";

const booleanFlag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

/** An unset or empty variable both mean "not configured". */
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v ? v : undefined));

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: optionalString.pipe(
    z.url({ protocol: /^postgres(ql)?$/, error: "DATABASE_URL must be a postgres:// URL" }).optional(),
  ),
  DATA_DIR: z.string().min(1).default(".data"),
  PGLITE_DATA_DIR: optionalString,
  SECRETS_KEY: optionalString,
  CALLBACK_EGRESS_IPS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const ips = (v ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      for (const ip of ips) {
        if (!isIP(ip))
          ctx.addIssue({ code: "custom", message: `CALLBACK_EGRESS_IPS: "${ip}" is not an IP address` });
      }
      return ips;
    }),
  ALLOW_PRIVATE_CALLBACK_URLS: booleanFlag,
  CALLBACK_EGRESS_PROXY_URL: optionalString.pipe(
    z
      .url({ protocol: /^https?$/, error: "CALLBACK_EGRESS_PROXY_URL must be an http(s):// proxy URL" })
      .optional(),
  ),
  CALLBACK_DNS_SERVERS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const servers = (v ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      for (const server of servers) {
        const host = server.replace(/^\[(.*)\](:\d+)?$/, "$1").replace(/^([\d.]+):\d+$/, "$1");
        if (!isIP(host))
          ctx.addIssue({ code: "custom", message: `CALLBACK_DNS_SERVERS: "${server}" is not an IP[:port]` });
      }
      return servers;
    }),
  DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(1000).max(60_000).default(10_000),
  DELIVERY_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(10),
  DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(10),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;

/**
 * The validated server environment. Parsed on every call (it is cheap) so tests and scripts that set
 * variables see them; an invalid value throws one error naming every bad variable.
 */
export function getEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `- ${i.path.join(".") || "env"}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
