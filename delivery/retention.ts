import "server-only";
import { purgeExpired } from "@/db/queries/retention";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";

const DAY_S = 86_400;
const DAY_MS = DAY_S * 1000;

/**
 * How long pg-boss keeps a settled job (7 days unless the job says), and a job that never started (14
 * days), within RETENTION_DAYS (0 keeps everything else for ever: then pg-boss's own).
 */
export function jobRetentionSeconds(retentionDays: number, keepSeconds = 7 * DAY_S) {
  const retention = retentionDays > 0 ? retentionDays * DAY_S : Number.POSITIVE_INFINITY;
  return {
    deleteAfterSeconds: Math.min(keepSeconds, retention),
    retentionSeconds: Math.min(14 * DAY_S, retention),
  };
}

/**
 * The scheduled purge both engines run every 5 minutes: deletes what is older than RETENTION_DAYS (the
 * audit log: AUDIT_RETENTION_DAYS), in batches, for at most a minute a run (an Inngest step stays short),
 * and logs what it deleted; what is left goes in the next run. A retention of 0 keeps that kind for ever.
 * `signal`: the server is stopping; the run ends after its current batch.
 */
export async function purgeExpiredNow(now = new Date(), signal?: AbortSignal) {
  const env = getEnv();
  const ago = (days: number) => (days > 0 ? new Date(now.getTime() - days * DAY_MS) : null);
  const result = await purgeExpired({
    before: ago(env.RETENTION_DAYS),
    auditBefore: ago(env.AUDIT_RETENTION_DAYS),
    budgetMs: 60_000,
    signal,
  });
  const { more, ...counts } = result;
  if (Object.values(counts).some((n) => n > 0)) {
    logger.info(
      { ...counts, more },
      `deleted what is older than ${env.RETENTION_DAYS} days (audit log: ${env.AUDIT_RETENTION_DAYS} days)`,
    );
  }
  return result;
}
