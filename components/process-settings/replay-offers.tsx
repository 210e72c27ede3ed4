import type { Route } from "next";
import Link from "next/link";
import { callbackLabel } from "@/lib/callback-label";
import type { ReplayOffer } from "@/lib/validations/replay";
import { Button } from "../ui/button";
import { DateTime } from "../ui/date-time";

/**
 * After a save that switched callbacks back on, beside Save: what they failed or missed while failing or
 * off can be sent again from the Replays page, set to start at each one's last successful delivery.
 */
export function ReplayOffers({ offers, onDismiss }: { offers: ReplayOffer[]; onDismiss: () => void }) {
  if (!offers.length) return null;
  return (
    <section
      aria-label="Replay what was missed"
      className="flex basis-full flex-wrap items-center gap-x-3 gap-y-1 rounded-md bg-brand-50 px-3 py-2 text-sm text-slate-800"
    >
      {offers.map((offer) => (
        <p key={offer.href}>
          <span className="font-medium">{callbackLabel(offer)} is on again.</span> What failed since{" "}
          <DateTime value={offer.since} />, and events it missed while off, can be sent now:{" "}
          <Link
            href={offer.href as Route}
            className="font-medium text-brand-700 underline-offset-2 hover:underline"
          >
            Replay failed deliveries of {callbackLabel(offer)}
          </Link>
        </p>
      ))}
      <Button size="sm" variant="ghost" onClick={onDismiss}>
        Not now
      </Button>
    </section>
  );
}
