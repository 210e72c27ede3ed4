import "server-only";
import { getEnv } from "./env";
import { getAuthSecret, getSecretsKey } from "./secrets-key";

// Imported once by instrumentation.ts on the Node.js runtime: a misconfigured server stops here.
try {
  getEnv();
  getSecretsKey();
  getAuthSecret();
} catch (error) {
  console.error(`leadhook cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
