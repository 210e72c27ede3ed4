import "server-only";
import type { AnyColumn, SQL } from "drizzle-orm";
import { and, eq, lt, or, sql } from "drizzle-orm";
import { isUuid } from "@/lib/uuid";

/**
 * Keyset paging for lists ordered newest first by (time, id): a cursor names the last row shown, and the
 * next page is everything older. The time travels as Postgres's own `timestamptz::text`, so microseconds
 * survive the round trip (a JavaScript Date would drop them and repeat or skip rows).
 */
export type Keyset = { at: string; id: string };

/** The column as the cursor carries it. */
export function keysetTime(column: AnyColumn): SQL<string> {
  return sql<string>`${column}::text`;
}

/** Rows after `keyset` in (time desc, id desc) order. */
export function olderThan(timeColumn: AnyColumn, idColumn: AnyColumn, keyset: Keyset): SQL {
  const at = sql`${keyset.at}::timestamptz`;
  return or(lt(timeColumn, at), and(eq(timeColumn, at), lt(idColumn, keyset.id))) ?? sql`false`;
}

export function encodeKeyset(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.at, keyset.id])).toString("base64url");
}

/** The cursor's keyset, or undefined for anything crafted or stale: the list then starts from the top. */
export function decodeKeyset(text: string): Keyset | undefined {
  try {
    const [at, id] = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (typeof at !== "string" || !isPgTimestamp(at)) return;
    if (typeof id !== "string" || !isUuid(id)) return;
    return { at, id };
  } catch {
    return undefined;
  }
}

const PG_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?[+-](\d{2})(?::(\d{2}))?$/;

/** `timestamptz::text` with values Postgres accepts: a crafted cursor starts from the top, never a 500. */
function isPgTimestamp(text: string): boolean {
  const match = PG_TIMESTAMP.exec(text);
  if (!match) return false;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match.slice(1, 7).map(Number);
  const [offsetHours = 0, offsetMinutes = 0] = match.slice(8).map((v) => Number(v ?? 0));
  // Date.UTC reads years 1-99 as 1901-1999: the same leap years, so the day check still holds.
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    year >= 1 &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60 &&
    offsetHours <= 15 &&
    offsetMinutes < 60
  );
}
