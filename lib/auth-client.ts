import { createAuthClient } from "better-auth/react";

/** The browser's side of Better Auth: sign-in and sign-out go through its rate-limited endpoints. */
export const authClient = createAuthClient();
