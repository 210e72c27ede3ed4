import "server-only";
import { disableFailingCallbacks } from "@/db/queries/callback-disable";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";

/**
 * The periodic check both engines run every 5 minutes: turns off the callbacks whose every delivery
 * has failed for CALLBACK_DISABLE_AFTER, and logs which. Returns the ids of the callbacks it turned off.
 */
export async function disableFailingCallbacksNow(now = new Date()): Promise<{ disabled: string[] }> {
  const period = getEnv().CALLBACK_DISABLE_AFTER;
  const disabled = await disableFailingCallbacks(period, now);
  if (disabled.length) {
    logger.warn(
      { callbacks: disabled.map((cb) => cb.callbackId), period: period.label },
      `turned off ${disabled.length} callback(s): every delivery failed for ${period.label}`,
    );
  }
  return { disabled: disabled.map((cb) => cb.callbackId) };
}

/** How often both engines run the check (cron). */
export const AUTO_DISABLE_CRON = "*/5 * * * *";
