import { z } from "zod";

export const apiKeyNameSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(60, "Name must be at most 60 characters"),
});
export type ApiKeyNameInput = z.input<typeof apiKeyNameSchema>;
