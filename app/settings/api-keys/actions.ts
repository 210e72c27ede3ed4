"use server";

import { auditContext, requireMember } from "@/auth/member";
import { createApiKey, revokeApiKey } from "@/db/queries/api-keys";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { parseInput, runAction } from "@/lib/run-action";
import { apiKeyNameSchema } from "@/lib/validations/api-key";

/** Creates an ingest key and returns it in full: the only time anyone sees it. */
export async function createApiKeyAction(workspaceId: string, input: unknown) {
  return runAction(async () => {
    const member = await requireMember(workspaceId, "keys:manage");
    const { name } = parseInput(apiKeyNameSchema, input);
    const { key, record } = await createApiKey(member.workspace.id, name, auditContext(member));
    logger.info({ apiKeyId: record.id, keyName: record.name }, "ingest key created");
    return { key, id: record.id };
  });
}

export async function revokeApiKeyAction(workspaceId: string, id: string) {
  return runAction(async () => {
    const member = await requireMember(workspaceId, "keys:manage");
    if (!(await revokeApiKey(auditContext(member), String(id)))) {
      throw new AppError("not_found", "This key does not exist or is already revoked.");
    }
    logger.info({ apiKeyId: id }, "ingest key revoked");
    return {};
  });
}
