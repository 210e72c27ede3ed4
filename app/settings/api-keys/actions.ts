"use server";

import { defineAction, idArg } from "@/auth/action";
import { auditContext } from "@/auth/member";
import { createApiKey, revokeApiKey } from "@/db/queries/api-keys";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { apiKeyNameSchema } from "@/lib/validations/api-key";

const keyGone = "This key does not exist or is already revoked.";

/** Creates an ingest key and returns it in full: the only time anyone sees it. */
export const createApiKeyAction = defineAction({
  permission: "keys:manage",
  args: [apiKeyNameSchema],
  work: async (member, { name }) => {
    const { key, record } = await createApiKey(member.workspace.id, name, auditContext(member));
    logger.info({ apiKeyId: record.id, keyName: record.name }, "ingest key created");
    return { key, id: record.id };
  },
});

export const revokeApiKeyAction = defineAction({
  permission: "keys:manage",
  args: [idArg(keyGone)],
  work: async (member, id) => {
    if (!(await revokeApiKey(auditContext(member), id))) throw new AppError("not_found", keyGone);
    logger.info({ apiKeyId: id }, "ingest key revoked");
    return {};
  },
});
