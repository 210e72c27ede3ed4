import { boolean, index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { authTypes, payloadFormats } from "../lib/validations/callback-options";
import { processStatuses } from "../lib/validations/process-status";
import { timestamps } from "./columns";

/* A workspace's processes with their Lead Update Callbacks, and the ingest keys its producers send. */

export const processStatus = pgEnum("process_status", processStatuses);
export const payloadFormat = pgEnum("payload_format", payloadFormats);
export const callbackAuthType = pgEnum("callback_auth_type", authTypes);

/** The owning workspace: its rows go with it. */
export function workspaceRef() {
  return uuid("workspace_id")
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" });
}

/** The owning process: its rows go with it. */
export function processRef() {
  return uuid("process_id")
    .notNull()
    .references(() => processes.id, { onDelete: "cascade" });
}

export const workspaces = pgTable("workspaces", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  ...timestamps,
});

export const processes = pgTable(
  "processes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    language: text("language").notNull().default("English"),
    status: processStatus("status").notNull().default("active"),
    /** Optimistic concurrency: every save must name the version it was based on. */
    version: integer("version").notNull().default(1),
    ...timestamps,
  },
  (t) => [index("processes_workspace_idx").on(t.workspaceId, t.name)],
);

export const leadUpdateCallbacks = pgTable(
  "lead_update_callbacks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    processId: processRef(),
    position: integer("position").notNull(),
    /** What admins call it ("CRM sync"), shown instead of "Callback N"; null when unnamed. */
    name: text("name"),
    url: text("url").notNull(),
    payloadFormat: payloadFormat("payload_format").notNull().default("activity_update"),
    requiresWhitelisting: boolean("requires_whitelisting").notNull().default(false),
    authType: callbackAuthType("auth_type").notNull().default("none"),
    bearerTokenEncrypted: text("bearer_token_encrypted"),
    authHeaderKey: text("auth_header_key"),
    authHeaderValueEncrypted: text("auth_header_value_encrypted"),
    signingSecretEncrypted: text("signing_secret_encrypted").notNull(),
    /** The secret a rotation replaced: deliveries are signed with it too until it expires. */
    previousSigningSecretEncrypted: text("previous_signing_secret_encrypted"),
    previousSigningSecretExpiresAt: timestamp("previous_signing_secret_expires_at", { withTimezone: true }),
    enabled: boolean("enabled").notNull().default(true),
    /** Why leadhook turned the callback off by itself (a 410 Gone, or every delivery failing for a while). */
    disabledReason: text("disabled_reason"),
    /** When leadhook turned it off by itself; cleared, with the reason, when an admin enables it again. */
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [index("lead_update_callbacks_process_idx").on(t.processId, t.position)],
);

/** Keys that event producers send as `Authorization: Bearer lh_...`; only a SHA-256 hash is stored. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: workspaceRef(),
    name: text("name").notNull(),
    /** The first characters of the key, shown so admins can tell keys apart. */
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * The key's checksum is keyed with the server's secret (keys made since migration 0014): a forged key
     * fails it without a query. Older keys carry a plain SHA-256 checksum and are recognised by their hash.
     */
    checksumKeyed: boolean("checksum_keyed").notNull().default(false),
  },
  (t) => [index("api_keys_workspace_idx").on(t.workspaceId)],
);

export type Workspace = typeof workspaces.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type Process = typeof processes.$inferSelect;
export type NewProcess = typeof processes.$inferInsert;
export type LeadUpdateCallback = typeof leadUpdateCallbacks.$inferSelect;
export type NewLeadUpdateCallback = typeof leadUpdateCallbacks.$inferInsert;
