import { describe, expect, it } from "vitest";
import { failureHint } from "@/lib/webhooks/hints";
import { egressNote } from "./egress-note";

const ips = ["203.0.113.10", "203.0.113.11"];
const noEgressFailure = (egressIps: string[]) =>
  failureHint(
    { outcome: "failed", responseStatus: null, errorClass: "no_egress", errorMessage: null },
    { requiresWhitelisting: true, egressIps },
  )?.hint;

describe("the note under Requires source to be whitelisted", () => {
  it("warns without static egress, in the words the failed deliveries carry", () => {
    for (const configured of [[], ips]) {
      const note = egressNote(false, configured);
      expect(note.warn).toBe(true);
      expect(note.text).toMatch(/will fail/);
      expect(note.text).toMatch(/ask your administrator to set up static egress/);
      expect(note.text).toContain(noEgressFailure(configured));
    }
  });

  it("never names an environment variable", () => {
    for (const note of [
      egressNote(false, []),
      egressNote(false, ips),
      egressNote(true, []),
      egressNote(true, ips),
    ]) {
      expect(`${note.text} ${note.allow?.label ?? ""}`).not.toMatch(/[A-Z]{2,}_[A-Z_]+/);
    }
  });

  it("lists the source IPs to allow", () => {
    expect(egressNote(true, ips)).toEqual({
      warn: false,
      text: "",
      allow: { label: "Allow these source IPs on your server:", ips: "203.0.113.10, 203.0.113.11" },
    });
    expect(egressNote(false, ips).allow?.ips).toBe("203.0.113.10, 203.0.113.11");
    expect(egressNote(true, []).text).toMatch(/ask your administrator which addresses to allow/);
  });
});
