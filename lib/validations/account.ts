import { z } from "zod";
import { roles } from "../roles";

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

const email = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Email is required")
  .max(254, "Email must be at most 254 characters")
  .pipe(z.email("Enter an email address like name@example.com"));

const personName = z
  .string()
  .trim()
  .min(1, "Name is required")
  .max(100, "Name must be at most 100 characters");

/** A new password: long enough to resist guessing, short enough to hash quickly. */
export const newPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters`);

export const workspaceName = z
  .string()
  .trim()
  .min(1, "Workspace name is required")
  .max(80, "Workspace name must be at most 80 characters");

export const signInSchema = z.object({ email, password: z.string().min(1, "Password is required") });
export type SignInInput = z.input<typeof signInSchema>;

/** "Create the owner account" on first run. */
export const ownerSetupSchema = z.object({ name: personName, email, password: newPassword, workspaceName });
export type OwnerSetupInput = z.input<typeof ownerSetupSchema>;

/** An owner or admin inviting someone. */
export const invitationSchema = z.object({ email, role: z.enum(roles, { error: "Choose a role" }) });
export type InvitationInput = z.input<typeof invitationSchema>;

/** Accepting an invitation as someone new: the email comes from the invitation. */
export const newMemberSchema = z.object({ name: personName, password: newPassword });
export type NewMemberInput = z.input<typeof newMemberSchema>;

export const workspaceSchema = z.object({ name: workspaceName });
export type WorkspaceInput = z.input<typeof workspaceSchema>;

/** What the operator scripts accept on their command line. */
export const operatorUserSchema = z.object({ email, name: personName, role: z.enum(roles) });
export { email as emailSchema };
