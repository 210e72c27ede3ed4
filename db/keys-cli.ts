import "server-only";
import { parseArgs } from "node:util";
import { isUuid } from "../lib/uuid";
import { apiKeyNameSchema } from "../lib/validations/api-key";
import { type Command, runCli } from "./cli";
import { createApiKey, listApiKeys, revokeApiKey } from "./queries/api-keys";
import { operatorContext } from "./queries/audit-log";
import { getDefaultWorkspace } from "./queries/workspaces";

const usage = `Usage:
  npm run keys:create -- --name <name>   create an ingest key and print it once
  npm run keys:list                      list keys (never the keys themselves)
  npm run keys:revoke -- --id <id>       revoke a key`;

type Flags = { name?: string; id?: string };

/** A command reading the script's flags (an unknown flag is refused). */
function withFlags(run: (flags: Flags) => Promise<number>): Command {
  return (args) =>
    run(parseArgs({ args, options: { name: { type: "string" }, id: { type: "string" } } }).values);
}

async function create(flags: Flags): Promise<number> {
  const parsed = apiKeyNameSchema.safeParse({ name: flags.name ?? "" });
  if (!parsed.success) {
    console.error(`--name is required (at most ${apiKeyNameSchema.shape.name.maxLength} characters)\n`);
    console.error(usage);
    return 2;
  }
  const workspace = await getDefaultWorkspace();
  const { key, record } = await createApiKey(workspace.id, parsed.data.name, operatorContext(workspace.id));
  console.log(
    `Created ingest key "${record.name}" (${record.id}). It will not be shown again:\n\n  ${key}\n`,
  );
  console.log(`Send it as: Authorization: Bearer ${key}`);
  return 0;
}

async function list(): Promise<number> {
  const workspace = await getDefaultWorkspace();
  for (const k of await listApiKeys(workspace.id)) {
    console.log(`${k.id}  ${k.prefix}…  ${k.revokedAt ? "revoked" : "active "}  ${k.name}`);
  }
  return 0;
}

async function revoke(flags: Flags): Promise<number> {
  if (!flags.id) {
    console.error(usage);
    return 2;
  }
  const workspace = await getDefaultWorkspace();
  // An id typed by the operator is checked here: revokeApiKey takes only ids of the right form.
  if (!isUuid(flags.id) || !(await revokeApiKey(operatorContext(workspace.id), flags.id))) {
    console.error(`No active key with id ${flags.id}`);
    return 1;
  }
  console.log(`Revoked ${flags.id}`);
  return 0;
}

runCli(usage, { create: withFlags(create), list: withFlags(list), revoke: withFlags(revoke) });
