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
