/** A process's status; in a module of its own so the settings form can list them without loading zod. */
export const processStatuses = ["active", "paused", "archived"] as const;
export type ProcessStatus = (typeof processStatuses)[number];
