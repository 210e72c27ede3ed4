import { failureHint } from "@/lib/webhooks/hints";

export type EgressNote = {
  /** True when deliveries to a whitelisted callback will fail as things are set up. */
  warn: boolean;
  text: string;
  /** The source IPs to allow, with what to do with them; null when none are configured. */
  allow: { label: string; ips: string } | null;
};

/**
 * What "Requires source to be whitelisted" means on this installation, said under the checkbox. Without
 * static egress every delivery fails with the no_egress failure hint, so the note says the same words.
 */
export function egressNote(staticEgress: boolean, egressIps: readonly string[]): EgressNote {
  const ips = egressIps.length ? egressIps.join(", ") : null;
  if (!staticEgress) {
    const failure = failureHint(
      { outcome: "failed", responseStatus: null, errorClass: "no_egress", errorMessage: null },
      { requiresWhitelisting: true, egressIps },
    );
    return {
      warn: true,
      text: `Deliveries to this callback will fail. ${failure?.hint ?? "Ask your administrator to set up static egress"}.`,
      allow: ips
        ? { label: "Once static egress is set up, allow these source IPs on your server:", ips }
        : null,
    };
  }
  return ips
    ? { warn: false, text: "", allow: { label: "Allow these source IPs on your server:", ips } }
    : {
        warn: false,
        text: "Deliveries leave from this installation's static source addresses: ask your administrator which addresses to allow.",
        allow: null,
      };
}
