/**
 * A callback's Payload Format and authentication choices; in a module of their own so the database schema
 * and the settings form can list them without loading zod.
 */
export const payloadFormats = ["activity_update", "full_lead"] as const;
export const authTypes = ["none", "bearer", "custom_header"] as const;
export type PayloadFormat = (typeof payloadFormats)[number];
export type AuthType = (typeof authTypes)[number];
