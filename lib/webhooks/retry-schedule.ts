/**
 * When a failed delivery is tried again: the wait before each retry, as an operator writes it in
 * DELIVERY_RETRY_SCHEDULE ("5s,5m,30m,2h") and as the process page and the docs say it.
 */

/**
 * The default: nine retries over about three days (75 h 35 min after the first attempt, before jitter), so
 * an endpoint down over a weekend night still gets its webhooks. Stripe retries for 3 days, the Standard
 * Webhooks example about 75 hours.
 */
export const DEFAULT_RETRY_SCHEDULE = "5s,5m,30m,2h,5h,10h,14h,20h,24h";

/** At most this many retries (Inngest's own limit on a function's retries is 20). */
export const MAX_SCHEDULED_RETRIES = 20;
/** The longest one wait may be, as written or asked for by a receiver's Retry-After. */
export const MAX_RETRY_DELAY_MS = 24 * 60 * 60 * 1000;
const MIN_RETRY_DELAY_MS = 100;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Waits in milliseconds, one per retry, in order. */
export type RetrySchedule = readonly number[];

export type ParsedSchedule = { ok: true; schedule: RetrySchedule } | { ok: false; message: string };

/**
 * Parses "5s,5m,30m,2h": each item a whole number and a unit (ms, s, m, h, d), from 100 ms to 24 h, at
 * most 20 items. "none" means no retries at all (the first attempt is the only one).
 */
export function parseRetrySchedule(text: string): ParsedSchedule {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === "none") return { ok: true, schedule: [] };
  const items = trimmed.split(",").map((item) => item.trim());
  if (items.length > MAX_SCHEDULED_RETRIES) {
    return { ok: false, message: `at most ${MAX_SCHEDULED_RETRIES} retries (got ${items.length})` };
  }
  const schedule: number[] = [];
  for (const item of items) {
    const match = /^(\d{1,9})(ms|s|m|h|d)$/.exec(item);
    if (!match) {
      return {
        ok: false,
        message: `"${item}" is not a wait like 300ms, 5s, 5m, 2h or 1d (write "none" for no retries)`,
      };
    }
    const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    if (ms < MIN_RETRY_DELAY_MS || ms > MAX_RETRY_DELAY_MS) {
      return { ok: false, message: `"${item}" is outside 100ms to 24h` };
    }
    schedule.push(ms);
  }
  return { ok: true, schedule };
}

/**
 * The schedule the older settings described (DELIVERY_MAX_RETRIES, DELIVERY_BACKOFF_BASE_MS): the base
 * doubled each retry, up to 2 hours.
 */
export function doublingSchedule(retries: number, baseMs: number): RetrySchedule {
  return Array.from({ length: retries }, (_, i) => Math.min(baseMs * 2 ** i, 2 * 3_600_000));
}

/** One wait as people read it: "300 ms", "5 s", "5 min", "2 h", "1 day", "1 h 30 min". */
export function waitLabel(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 3_600_000) {
    const minutes = Math.floor(ms / 60_000);
    const seconds = Math.round((ms % 60_000) / 1000);
    return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
  }
  if (ms % 86_400_000 === 0) return ms === 86_400_000 ? "1 day" : `${ms / 86_400_000} days`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.round((ms % 3_600_000) / 60_000);
  return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
}

/** How long the whole schedule takes, roughly: "about 3 days", "about 85 minutes", "about 2 s". */
export function windowLabel(schedule: RetrySchedule): string {
  const total = schedule.reduce((sum, ms) => sum + ms, 0);
  const hours = total / 3_600_000;
  if (hours >= 36) return `about ${Math.round(hours / 24)} days`;
  if (hours >= 2) return `about ${Math.round(hours)} hours`;
  const minutes = total / 60_000;
  if (minutes >= 2) return `about ${Math.round(minutes)} minutes`;
  return `about ${Math.max(1, Math.round(total / 1000))} s`;
}

/**
 * The schedule in one sentence, for the process page and the server's log: "Failed deliveries are retried
 * 9 times over about 3 days, waiting 5 s, 5 min, ... and 1 day between attempts (±10%)."
 */
export function describeSchedule(schedule: RetrySchedule): string {
  if (schedule.length === 0) return "Failed deliveries are not retried (DELIVERY_RETRY_SCHEDULE=none).";
  const waits = schedule.map(waitLabel);
  if (waits.length === 1)
    return `Failed deliveries are retried once, ${waits[0]} after the first attempt (±10%).`;
  const list = `${waits.slice(0, -1).join(", ")} and ${waits.at(-1)}`;
  return `Failed deliveries are retried ${schedule.length} times over ${windowLabel(schedule)}, waiting ${list} between attempts (±10%).`;
}
