import { plural } from "./plural";

/** A span of time as an operator writes it ("3d") and as a sentence says it ("3 days"). */
export type Duration = { ms: number; label: string };

const UNITS = {
  s: { ms: 1000, one: "second", many: "seconds" },
  m: { ms: 60_000, one: "minute", many: "minutes" },
  h: { ms: 3_600_000, one: "hour", many: "hours" },
  d: { ms: 86_400_000, one: "day", many: "days" },
} as const;

/**
 * Parses a whole number and one unit: "90s", "90m", "12h", "3d". Undefined for anything else, zero
 * included (no ISO 8601, no fractions, no combinations like "1d12h").
 */
export function parseDuration(text: string): Duration | undefined {
  const match = /^(\d{1,9})([smhd])$/.exec(text.trim());
  if (!match) return undefined;
  const count = Number(match[1]);
  const unit = UNITS[match[2] as keyof typeof UNITS];
  if (count === 0) return undefined;
  return { ms: count * unit.ms, label: plural(count, unit.one, unit.many) };
}

/**
 * When something is due, from `now`, as a short phrase: "in 38 s", "in 4 min", "in 2 h 5 min", "in 3 days";
 * "now" once it is due (an attempt about to be made, or being made).
 */
export function dueIn(due: Date, now = new Date()): string {
  const seconds = Math.ceil((due.getTime() - now.getTime()) / 1000);
  if (seconds <= 0) return "now";
  if (seconds < 60) return `in ${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `in ${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`;
  return `in ${plural(Math.round(hours / 24), "day", "days")}`;
}

/** The time between two moments, as the gap between attempts reads: "+850 ms", "+5 s", "+2 min 5 s", "+1 h 3 min". */
export function gapText(ms: number): string {
  if (ms < 1000) return `+${Math.max(0, Math.round(ms))} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `+${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `+${minutes} min${seconds % 60 ? ` ${seconds % 60} s` : ""}`;
  const hours = Math.floor(minutes / 60);
  return `+${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`;
}
