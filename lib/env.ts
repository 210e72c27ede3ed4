import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { parseDuration } from "./duration";
import {
  DEFAULT_RETRY_SCHEDULE,
  doublingSchedule,
  parseRetrySchedule,
  type RetrySchedule,
} from "./webhooks/retry-schedule";

/** An unset or empty variable both mean "not configured". */
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v ? v : undefined));

/** 10.0.0.2 or 10.0.0.0/8 (IPv6 alike). */
function isAddressOrRange(item: string): boolean {
  if (!item.includes("/")) return ipaddr.isValid(item);
  try {
    ipaddr.parseCIDR(item);
    return true;
  } catch {
    return false;
  }
}

/** A comma-separated list whose items must each pass `valid` (an IP address, once any port is stripped...). */
function addressList(name: string, what: string, valid: (item: string) => boolean) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      const items = (v ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      for (const item of items) {
        if (!valid(item)) ctx.addIssue({ code: "custom", message: `${name}: "${item}" is not ${what}` });
      }
      return items;
    });
}

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** Which delivery engine runs the work; unset chooses Inngest when one is configured (see deliveryEngine). */
  LEADHOOK_ENGINE: z
    .enum(["embedded", "inngest", ""], { error: "LEADHOOK_ENGINE must be embedded or inngest" })
    .optional()
    .transform((v) => v || undefined),
  INNGEST_BASE_URL: optionalString,
  INNGEST_EVENT_KEY: optionalString,
  INNGEST_CHECKPOINTING: z
    .enum(["true", "false", "1", "0", ""], { error: "INNGEST_CHECKPOINTING must be true or false" })
    .optional()
    .transform((v) => v !== "false" && v !== "0"),
  DATABASE_URL: optionalString.pipe(
    z.url({ protocol: /^postgres(ql)?$/, error: "DATABASE_URL must be a postgres:// URL" }).optional(),
  ),
  DATA_DIR: z.string().min(1).default(".data"),
  PGLITE_DATA_DIR: optionalString,
  SECRETS_KEY: optionalString,
  /** Signs session cookies; required in production, generated once under DATA_DIR in development. */
  BETTER_AUTH_SECRET: optionalString.pipe(
    z.string().min(32, "BETTER_AUTH_SECRET must be at least 32 characters").optional(),
  ),
  /** Proxies in front of leadhook (IPs or CIDRs): the client address is the last X-Forwarded-For hop before them. */
  TRUSTED_PROXIES: addressList("TRUSTED_PROXIES", "an IP address or CIDR range", isAddressOrRange),
  /** The public origin of the app (https://leadhook.example.com); unset, each request's origin is used. */
  BETTER_AUTH_URL: optionalString.pipe(
    z.url({ protocol: /^https?$/, error: "BETTER_AUTH_URL must be an http(s):// URL" }).optional(),
  ),
  CALLBACK_EGRESS_IPS: addressList("CALLBACK_EGRESS_IPS", "an IP address", (item) => isIP(item) !== 0),
  /** Unset: allowed under `npm run dev` (development), refused otherwise. */
  ALLOW_PRIVATE_CALLBACK_URLS: z.enum(["true", "false", "1", "0", ""]).optional(),
  /** Who may start a workspace: anyone signed in (open), or only an operator and the first run (closed). */
  WORKSPACE_CREATION: z
    .enum(["open", "closed", ""], { error: "WORKSPACE_CREATION must be open or closed" })
    .optional(),
  /** Where leadhook sends mail (invitations, email verification): smtp:// or smtps://user:pass@host:port. */
  SMTP_URL: optionalString.pipe(
    z.url({ protocol: /^smtps?$/, error: "SMTP_URL must be an smtp:// or smtps:// URL" }).optional(),
  ),
  /** The From of that mail: an address, or "Name <address>". */
  SMTP_FROM: optionalString,
  CALLBACK_EGRESS_PROXY_URL: optionalString.pipe(
    z
      .url({ protocol: /^https?$/, error: "CALLBACK_EGRESS_PROXY_URL must be an http(s):// proxy URL" })
      .optional(),
  ),
  CALLBACK_DNS_SERVERS: addressList(
    "CALLBACK_DNS_SERVERS",
    "an IP[:port]",
    (item) => isIP(item.replace(/^\[(.*)\](:\d+)?$/, "$1").replace(/^([\d.]+):\d+$/, "$1")) !== 0,
  ),
  DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(1000).max(60_000).default(10_000),
  /** The wait before each retry: "5s,5m,30m,2h,...", or "none" (lib/webhooks/retry-schedule.ts). */
  DELIVERY_RETRY_SCHEDULE: optionalString.transform((v, ctx) => {
    if (v === undefined) return undefined;
    const parsed = parseRetrySchedule(v);
    if (parsed.ok) return parsed.schedule;
    ctx.addIssue({ code: "custom", message: `DELIVERY_RETRY_SCHEDULE: ${parsed.message}` });
    return z.NEVER;
  }),
  /** Older settings, still honoured when DELIVERY_RETRY_SCHEDULE is unset: retries doubling from a base. */
  DELIVERY_MAX_RETRIES: optionalString.pipe(
    z.coerce.number<string | undefined>().int().min(0).max(20).optional(),
  ),
  DELIVERY_BACKOFF_BASE_MS: optionalString.pipe(
    z.coerce.number<string | undefined>().int().min(100).max(3_600_000).optional(),
  ),
  DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(10),
  /** Days events, deliveries, attempts, replays and pg-boss's jobs are kept, then deleted; 0: kept for ever. */
  RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  /** Days the audit log is kept; 0: kept for ever. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(365),
  /** How long every delivery to a callback must fail before leadhook turns it off: "3d", "12h", "90m". */
  CALLBACK_DISABLE_AFTER: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const duration = parseDuration(v || "3d");
      if (duration) return duration;
      ctx.addIssue({
        code: "custom",
        message: `CALLBACK_DISABLE_AFTER: "${v}" is not a duration like 3d, 12h or 90m`,
      });
      return z.NEVER;
    }),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

const schema = envSchema
  .refine((env) => !env.SMTP_URL || env.SMTP_FROM, {
    path: ["SMTP_FROM"],
    message:
      'set the sender of leadhook\'s mail (such as "leadhook <no-reply@example.com>") when SMTP_URL is set',
  })
  // A mailed link must point at the public origin, never at whatever Host a request names: otherwise a
  // member could have an invitation token mailed to its invitee inside a link to a host of their own.
  .refine((env) => !env.SMTP_URL || env.BETTER_AUTH_URL, {
    path: ["BETTER_AUTH_URL"],
    message:
      "set the public origin (such as https://leads.example.com) when SMTP_URL is set: mailed links point there",
  })
  .refine(
    (env) =>
      env.DELIVERY_RETRY_SCHEDULE === undefined ||
      (env.DELIVERY_MAX_RETRIES === undefined && env.DELIVERY_BACKOFF_BASE_MS === undefined),
    {
      path: ["DELIVERY_RETRY_SCHEDULE"],
      message:
        "DELIVERY_MAX_RETRIES and DELIVERY_BACKOFF_BASE_MS are the older way to say what DELIVERY_RETRY_SCHEDULE says: unset them",
    },
  )
  .transform(({ ALLOW_PRIVATE_CALLBACK_URLS: allow, WORKSPACE_CREATION: creation, ...env }) => ({
    ...env,
    DELIVERY_RETRY_SCHEDULE: retrySchedule(env),
    ALLOW_PRIVATE_CALLBACK_URLS: allow ? allow === "true" || allow === "1" : env.NODE_ENV === "development",
    // Closed by default in production: an account holder cannot make themselves the owner of anything.
    WORKSPACE_CREATION: creation || (env.NODE_ENV === "production" ? "closed" : "open"),
  }));

const parsedDefault = parseRetrySchedule(DEFAULT_RETRY_SCHEDULE);
if (!parsedDefault.ok) throw new Error(`the default retry schedule does not parse: ${parsedDefault.message}`);
/** Parsed once: getEnv runs on every call. */
const defaultRetrySchedule = parsedDefault.schedule;

/** The configured schedule: DELIVERY_RETRY_SCHEDULE, else the older pair's doubling one, else the default. */
function retrySchedule(env: {
  DELIVERY_RETRY_SCHEDULE?: RetrySchedule;
  DELIVERY_MAX_RETRIES?: number;
  DELIVERY_BACKOFF_BASE_MS?: number;
}): RetrySchedule {
  if (env.DELIVERY_RETRY_SCHEDULE) return env.DELIVERY_RETRY_SCHEDULE;
  if (env.DELIVERY_MAX_RETRIES !== undefined || env.DELIVERY_BACKOFF_BASE_MS !== undefined) {
    return doublingSchedule(env.DELIVERY_MAX_RETRIES ?? 10, env.DELIVERY_BACKOFF_BASE_MS ?? 5000);
  }
  return defaultRetrySchedule;
}

export type Env = z.infer<typeof schema>;

/** Whether this server sends mail (SMTP_URL): invitations are then mailed, never shown to the inviter. */
export function mailConfigured(env: Env = getEnv()): boolean {
  return Boolean(env.SMTP_URL);
}

/** Whether anyone signed in may start a workspace on this server (WORKSPACE_CREATION=open). */
export function workspaceCreationOpen(env: Env = getEnv()): boolean {
  return env.WORKSPACE_CREATION === "open";
}

/**
 * The engine that runs deliveries: LEADHOOK_ENGINE when set; otherwise Inngest when a server is
 * configured (INNGEST_BASE_URL or INNGEST_EVENT_KEY), else the embedded queue in this server.
 */
export type EngineName = "embedded" | "inngest";

/** How the process page and the server's log name the engine. */
export const engineDescriptions: Record<EngineName, string> = {
  embedded: "Deliveries run on the built-in queue in this server",
  inngest: "Deliveries run on Inngest",
};

export function deliveryEngine(env: Env): EngineName {
  if (env.LEADHOOK_ENGINE) return env.LEADHOOK_ENGINE;
  return env.INNGEST_BASE_URL || env.INNGEST_EVENT_KEY ? "inngest" : "embedded";
}

/**
 * The validated server environment. Parsed on every call (it is cheap) so tests and scripts that set
 * variables see them; an invalid value throws one error naming every bad variable.
 */
export function getEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `- ${i.path.join(".") || "env"}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
