"use client";

import { useState } from "react";
import { authClient } from "@/lib/auth-client";
import { Button } from "../ui/button";

/**
 * For an invitation opened while signed in as someone else: the sign-in page sends a signed-in visitor
 * straight on, so the current session ends first and then sign-in comes back to the invitation.
 */
/** `next` is a path of this site whose characters need no escaping (the invitation path). */
export function SwitchAccountButton({ email, next }: { email: string; next: string }) {
  const [pending, setPending] = useState(false);
  return (
    <Button
      className="w-full"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        await authClient.signOut();
        window.location.assign(`/sign-in?next=${next}`);
      }}
    >
      Sign out and sign in as {email}
    </Button>
  );
}
