import { sql } from "drizzle-orm";
import { boolean, index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const processStatus = pgEnum("process_status", ["active", "paused", "archived"]);
export const payloadFormat = pgEnum("payload_format", ["activity_update", "full_lead"]);
export const callbackAuthType = pgEnum("callback_auth_type", ["none", "bearer", "custom_header"]);

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};

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
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
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
    processId: uuid("process_id")
      .notNull()
      .references(() => processes.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    url: text("url").notNull(),
    payloadFormat: payloadFormat("payload_format").notNull().default("activity_update"),
    requiresWhitelisting: boolean("requires_whitelisting").notNull().default(false),
    authType: callbackAuthType("auth_type").notNull().default("none"),
    bearerTokenEncrypted: text("bearer_token_encrypted"),
    authHeaderKey: text("auth_header_key"),
    authHeaderValueEncrypted: text("auth_header_value_encrypted"),
    signingSecretEncrypted: text("signing_secret_encrypted").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    ...timestamps,
  },
  (t) => [index("lead_update_callbacks_process_idx").on(t.processId, t.position)],
);

export type Workspace = typeof workspaces.$inferSelect;
export type Process = typeof processes.$inferSelect;
export type NewProcess = typeof processes.$inferInsert;
export type LeadUpdateCallback = typeof leadUpdateCallbacks.$inferSelect;
export type NewLeadUpdateCallback = typeof leadUpdateCallbacks.$inferInsert;

export const now = sql`now()`;
