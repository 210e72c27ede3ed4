import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Data steps db:migrate ran to the end (migrate.ts): one that reads a whole table is recorded here by
 * name, so it runs once rather than on every start.
 */
export const dataSteps = pgTable("data_steps", {
  name: text("name").primaryKey(),
  finishedAt: timestamp("finished_at", { withTimezone: true }).notNull().defaultNow(),
});
