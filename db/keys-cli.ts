import "server-only";
import { parseArgs } from "node:util";
import { closeDb, getDb } from "./index";
import { migrate } from "./migrate";
import { createApiKey, listApiKeys, revokeApiKey } from "./queries/api-keys";
import { operatorContext } from "./queries/audit-log";
import { getDefaultWorkspace } from "./queries/workspaces";

const usage = `Usage:
  npm run keys:create -- --name <name>   create an ingest key and print it once
  npm run keys:list                      list keys (never the keys themselves)
  npm run keys:revoke -- --id <id>       revoke a key`;

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({ args: rest, options: { name: { type: "string" }, id: { type: "string" } } });
  if (!command || !["create", "list", "revoke"].includes(command)) {
    console.error(usage);
    return 2;
  }
  await migrate(await getDb());
  const workspace = await getDefaultWorkspace();
  if (command === "create") {
    const name = values.name?.trim();
    if (!name || name.length > 60) {
      console.error("--name is required (at most 60 characters)\n");
      console.error(usage);
      return 2;
    }
    const { key, record } = await createApiKey(workspace.id, name, operatorContext(workspace.id));
    console.log(
      `Created ingest key "${record.name}" (${record.id}). It will not be shown again:\n\n  ${key}\n`,
    );
    console.log(`Send it as: Authorization: Bearer ${key}`);
  } else if (command === "list") {
    for (const k of await listApiKeys(workspace.id)) {
      console.log(`${k.id}  ${k.prefix}…  ${k.revokedAt ? "revoked" : "active "}  ${k.name}`);
    }
  } else {
    if (!values.id) {
      console.error(usage);
      return 2;
    }
    if (!(await revokeApiKey(operatorContext(workspace.id), values.id))) {
      console.error(`No active key with id ${values.id}`);
      return 1;
    }
    console.log(`Revoked ${values.id}`);
  }
  return 0;
}

main()
  .then(async (code) => {
    await closeDb();
    process.exitCode = code;
  })
  .catch(async (error) => {
    console.error(error instanceof Error ? error.message : error);
    await closeDb().catch(() => {});
    process.exitCode = 1;
  });
