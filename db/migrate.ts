import "server-only";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bindStoredSecrets } from "./bind-secrets";
import { closeDb, type Database, getDb, getDriver } from "./index";
import { redactStoredExcerpts } from "./redact-stored-excerpts";

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * Applies the committed drizzle-kit migrations with the migrator of whichever driver is open, then the data
 * steps SQL cannot do (they need SECRETS_KEY): callback secrets stored before they were bound to their row
 * are bound now, and receivers' answers stored before they were redacted are redacted (once).
 */
export async function migrate(db: Database): Promise<void> {
  if ((await getDriver()) === "pg") {
    const { migrate: run } = await import("drizzle-orm/node-postgres/migrator");
    await run(db as never, { migrationsFolder });
  } else {
    const { migrate: run } = await import("drizzle-orm/pglite/migrator");
    await run(db as never, { migrationsFolder });
  }
  const bound = await bindStoredSecrets(db);
  if (bound) console.log(`leadhook: secrets of ${bound} callbacks bound to their rows`);
  const redacted = await redactStoredExcerpts(db);
  if (redacted)
    console.log(`leadhook: callback secrets redacted from ${redacted} stored responses and errors`);
}

/**
 * The one database script: `npm run db:migrate` migrates; `db:prepare` (--seed-if-empty) also seeds a
 * database without processes; `db:seed` (--seed) replaces the sample processes. The seed is imported only
 * here, so the arrow runs one way: this script uses seed.ts, seed.ts never imports it.
 */
async function main() {
  const reseed = process.argv.includes("--seed");
  const seedIfEmpty = process.argv.includes("--seed-if-empty");
  const db = await getDb();
  await migrate(db);
  console.log(`leadhook: database migrated (${await getDriver()})`);
  if (reseed || seedIfEmpty) {
    const { seed, isEmpty } = await import("./seed");
    if (reseed) {
      console.log(`leadhook: seeded ${await seed(db)} sample processes`);
    } else if (await isEmpty(db)) {
      await seed(db);
      console.log("leadhook: fresh database seeded with sample processes");
    }
  }
  await closeDb();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
