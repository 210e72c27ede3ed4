/*
 * The tables, one module per part of the domain (Better Auth's and the access tables are in
 * access-schema.ts); drizzle.config.ts reads every db/*-schema.ts. `@/db/schema` is where the rest of
 * the code imports them from.
 */
export * from "./data-step-schema";
export * from "./delivery-schema";
export * from "./event-schema";
export * from "./process-schema";
