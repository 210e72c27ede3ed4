import { z } from "zod";
import { newPassword } from "./account";

/** "Change password": the current one, and the new one typed twice. */
export const passwordChangeSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password"),
    newPassword,
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two new passwords differ",
  })
  .refine((v) => v.newPassword !== v.currentPassword, {
    path: ["newPassword"],
    message: "Choose a password other than the current one",
  });
export type PasswordChangeInput = z.input<typeof passwordChangeSchema>;
