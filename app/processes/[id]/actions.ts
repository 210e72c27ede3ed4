"use server";

import { z } from "zod";
import { defineAction, idArg } from "@/auth/action";
import { auditContext } from "@/auth/member";
import { getProcessSettings, type SavedProcessSettings, saveProcessSettings } from "@/db/queries/callbacks";
import { replaySinceFor } from "@/db/queries/replay-list";
import { revealSigningSecret, rotateSigningSecret } from "@/db/queries/signing-secrets";
import { getEnv } from "@/lib/env";
import { AppError, messages } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { can } from "@/lib/roles";
import { parseInput } from "@/lib/run-action";
import { withStoredHints } from "@/lib/validations/callback";
import { createProcessSettingsSchema } from "@/lib/validations/process";
import { type ReplayOffer, utcMinute } from "@/lib/validations/replay";
import { resolvedHostProblem } from "@/lib/webhooks/resolve-check";

type Saved = Pick<SavedProcessSettings, "values" | "signingSecretHints"> & { replayOffers: ReplayOffer[] };

/**
 * Saves the process page. The input is untrusted: stored-secret hints are taken from the database, not
 * the browser, and the shared schema runs again before one transaction writes everything or nothing. The
 * input is parsed in the work, not by the declaration: its schema needs the stored hints and settings.
 */
export const saveProcessSettingsAction = defineAction({
  permission: "processes:write",
  args: [idArg(messages.processGone), z.unknown()],
  work: async (member, processId, input): Promise<Saved> => {
    const workspace = member.workspace;
    const current = await getProcessSettings(workspace.id, processId);
    if (!current) throw new AppError("not_found", messages.processGone);
    const { ALLOW_PRIVATE_CALLBACK_URLS: allowPrivateUrls } = getEnv();
    const values = parseInput(
      createProcessSettingsSchema({ allowPrivateUrls }),
      withStoredHints(input, current.values.callbacks),
      messages.fixErrorsBeforeSaving,
    );
    if (!allowPrivateUrls) {
      const problems = await Promise.all(values.callbacks.map((cb) => resolvedHostProblem(cb.url)));
      const fieldErrors = Object.fromEntries(
        problems.flatMap((problem, i) => (problem ? [[`callbacks.${i}.url`, problem]] : [])),
      );
      if (Object.keys(fieldErrors).length) {
        throw new AppError("invalid_request", messages.fixErrorsBeforeSaving, { fieldErrors });
      }
    }
    // The save hands back what its transaction wrote, hints included: the process is not read again.
    const saved = await saveProcessSettings(workspace.id, current.process.id, values, auditContext(member));
    logger.info({ processId, callbacks: saved.values.callbacks.length }, "process settings saved");
    const replayOffers = can(member.role, "deliveries:redeliver")
      ? await Promise.all(saved.reenabled.map((cb) => replayOffer(current.process.id, cb)))
      : [];
    return { values: saved.values, signingSecretHints: saved.signingSecretHints, replayOffers };
  },
});

/** A callback switched back on, and the Replays form set to send what it failed or missed since. */
async function replayOffer(
  processId: string,
  cb: { callbackId: string; position: number; name: string | null },
): Promise<ReplayOffer> {
  const since = (await replaySinceFor(cb.callbackId)) ?? new Date(Date.now() - 24 * 60 * 60 * 1000);
  const query = new URLSearchParams({ callback: cb.callbackId, from: utcMinute(since) });
  return {
    position: cb.position,
    name: cb.name,
    since: since.toISOString(),
    href: `/processes/${processId}/replays?${query}`,
  };
}

const callbackIds = [idArg(messages.callbackGone), idArg(messages.callbackGone)] as const;

export const revealSigningSecretAction = defineAction({
  permission: "secrets:reveal",
  args: callbackIds,
  work: async (member, processId, callbackId) => ({
    secret: await revealSigningSecret(auditContext(member), processId, callbackId),
  }),
});

export const rotateSigningSecretAction = defineAction({
  permission: "secrets:rotate",
  args: callbackIds,
  work: async (member, processId, callbackId) => {
    const rotated = await rotateSigningSecret(auditContext(member), processId, callbackId);
    logger.info({ processId, callbackId }, "signing secret rotated");
    return rotated;
  },
});
