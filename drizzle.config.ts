import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  // Every table module (db/schema.ts only gathers them for the app).
  schema: "./db/*-schema.ts",
  out: "./db/migrations",
  casing: "snake_case",
});
