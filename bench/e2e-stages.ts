/** The stage breakdown: where the time from the 202 to the arrival goes, by the database's timestamps. */

import { percentiles } from "./e2e-model";

/** A delivery of the latency run: its database timestamps (epoch ms), from bench/e2e-db.ts timings. */
export type TimingRow = {
  eventId: string;
  url: string;
  received: number;
  handedOff: number | null;
  deliveryCreated: number;
  attemptStarted: number | null;
  attemptRecorded: number | null;
};

/** Where the time between the 202 and the arrival goes, from the database's timestamps of each delivery. */
export function stages(
  rows: TimingRow[],
  accepted: Map<string, number>,
  arrived: Map<string, number>,
  receiverUrl: string,
) {
  const points = rows.map((row) => ({
    ...row,
    answered: accepted.get(row.eventId) ?? null,
    arrived: arrived.get(`${row.url.slice(receiverUrl.length)}|${row.eventId}`) ?? null,
  }));
  type Point = (typeof points)[number];
  const spans: [string, keyof Point, keyof Point][] = [
    ["stored (received_at) → 202 at the client", "received", "answered"],
    ["202 → delivery row created (Inngest: hand-off, fan-out run)", "answered", "deliveryCreated"],
    ["delivery row created → request sent", "deliveryCreated", "attemptStarted"],
    ["request sent → arrival at the receiver", "attemptStarted", "arrived"],
    ["arrival → attempt recorded", "arrived", "attemptRecorded"],
    ["202 → arrival (total)", "answered", "arrived"],
  ];
  return spans.flatMap(([label, from, to]) => {
    const values = points.flatMap((p) => {
      const a = p[from];
      const b = p[to];
      return typeof a === "number" && typeof b === "number" ? [b - a] : [];
    });
    if (!values.length) return [];
    const { p50, p99 } = percentiles(values);
    return [{ label, p50, p99 }];
  });
}
