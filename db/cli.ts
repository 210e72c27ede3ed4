import "server-only";
import { closeDb, getDb } from "./index";
import { migrate } from "./migrate";

/** One command of an operator script: takes the arguments after its name, prints, returns the exit code. */
export type Command = (args: string[]) => Promise<number>;

/**
 * Runs an operator script (`npm run keys:*`, `npm run users:*`): the command its first argument names, on
 * a migrated database. No such command: the usage, exit code 2. An error (the operator's mistake, or the
 * database's): its message and never a stack, exit code 1. The database is closed either way.
 */
export function runCli(usage: string, commands: Record<string, Command>): void {
  main(usage, commands)
    .then(async (code) => {
      await closeDb();
      process.exitCode = code;
    })
    .catch(async (error) => {
      console.error(error instanceof Error ? error.message : error);
      await closeDb().catch(() => {});
      process.exitCode = 1;
    });
}

async function main(usage: string, commands: Record<string, Command>): Promise<number> {
  const [name, ...args] = process.argv.slice(2);
  const command = name && Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    console.error(usage);
    return 2;
  }
  await migrate(await getDb());
  return command(args);
}
