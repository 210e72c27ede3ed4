import { z } from "zod";
import { eventTypes } from "./event";

/** "2026-11-24T15:30" as a datetime-local field gives it; leadhook's times are UTC, so it is read as UTC. */
const UTC_MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** A datetime-local value read as UTC; undefined for anything else. */
export function parseUtcMinute(value: string): Date | undefined {
  if (!UTC_MINUTE.test(value)) return undefined;
  const date = new Date(`${value}:00Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A Date as a datetime-local value in UTC ("2026-11-24T15:30"). */
export function utcMinute(date: Date): string {
  return date.toISOString().slice(0, 16);
}

const when = (label: string) =>
  z
    .string()
    .trim()
    .refine((v) => v === "" || parseUtcMinute(v) !== undefined, `${label} must be a date and time`);
const label = (what: string) => z.string().trim().max(100, `${what} must be at most 100 characters`);

/**
 * The replay form, in the browser and on the server: which callbacks, which deliveries (failed, or
 * every one), which events (types, lead status, disposition, a UTC time range). From is required: a
 * replay is always "since" something. To is optional: until the replay starts.
 */
export const replaySchema = z
  .object({
    callbackId: z.union([z.literal("all"), z.uuid("Choose a callback")]),
    include: z.enum(["failed", "all"]),
    from: when("From").refine((v) => v !== "", "Choose when the replay starts from"),
    to: when("To"),
    eventTypes: z.array(z.enum(eventTypes)),
    leadStatus: label("Lead status"),
    disposition: label("Disposition"),
  })
  .superRefine((value, ctx) => {
    const from = parseUtcMinute(value.from);
    const to = parseUtcMinute(value.to);
    if (from && to && to <= from) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "To must be after From" });
    }
  });

export type ReplayInput = z.input<typeof replaySchema>;
export type ReplayValues = z.output<typeof replaySchema>;

/** After a save that switched a callback back on: the Replays form, set to send what it failed or missed. */
export type ReplayOffer = { position: number; name: string | null; since: string; href: string };

/** What a replay sends again: the filters an admin chose, fixed when it starts. */
export type ReplayScope = {
  processId: string;
  /** One callback, or null for every callback of the process that is on. */
  callbackId: string | null;
  /** Events received in [since, until). */
  since: Date;
  until: Date;
  eventTypes: string[] | null;
  leadStatus: string | null;
  disposition: string | null;
  includeSucceeded: boolean;
};
