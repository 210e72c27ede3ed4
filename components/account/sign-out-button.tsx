"use client";

import { useState } from "react";
import { authClient } from "@/lib/auth-client";
import { Button } from "../ui/button";

/** Ends the session on the server (its row is deleted), then leaves for the sign-in page. */
export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="secondary"
      size="sm"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        await authClient.signOut();
        window.location.assign("/sign-in");
      }}
    >
      Sign out
    </Button>
  );
}
