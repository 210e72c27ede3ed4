import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

/**
 * `npm run dev`: Next.js, whose built-in queue delivers webhooks with nothing else running. When an
 * Inngest binary is at hand (INNGEST_BIN, or the optional inngest-cli package, whose install downloads
 * it and so fails offline), the Inngest Dev Server starts beside it and deliveries run there instead,
 * unless LEADHOOK_ENGINE=embedded.
 */
// `npm run dev -- -p 3001` (or --port) wins over PORT, as with `next dev`; 3000 when neither is given.
function portArgument(): string | undefined {
  try {
    return parseArgs({ options: { port: { type: "string", short: "p" } } }).values.port;
  } catch (error) {
    console.error(
      `leadhook: ${(error as Error).message}. npm run dev takes one option: -p PORT (or --port PORT).`,
    );
    process.exit(2);
  }
}
const port = portArgument() ?? process.env.PORT ?? "3000";
if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
  console.error(`leadhook: the port must be a number from 1 to 65535, not "${port}"`);
  process.exit(2);
}
const bin = (name: string) => path.join(process.cwd(), "node_modules", ".bin", name);
const inngestBinary = [
  process.env.INNGEST_BIN,
  path.join(process.cwd(), "node_modules", "inngest-cli", "bin", "inngest"),
].find((candidate): candidate is string => Boolean(candidate && existsSync(candidate)));
const useInngest =
  process.env.LEADHOOK_ENGINE === "inngest" ||
  (process.env.LEADHOOK_ENGINE !== "embedded" && inngestBinary !== undefined);

const env: NodeJS.ProcessEnv = useInngest
  ? { ...process.env, LEADHOOK_ENGINE: "inngest", INNGEST_DEV: process.env.INNGEST_DEV ?? "1" }
  : { ...process.env, LEADHOOK_ENGINE: "embedded" };
const children: ChildProcess[] = [spawn(bin("next"), ["dev", "--port", port], { stdio: "inherit", env })];
if (useInngest && inngestBinary) {
  children.push(
    spawn(inngestBinary, ["dev", "--no-discovery", "-u", `http://localhost:${port}/api/inngest`], {
      stdio: "inherit",
      env,
    }),
  );
  console.log("leadhook: Inngest Dev Server starting at http://localhost:8288 (deliveries run through it)");
}

let stopping = false;
const stop = (code: number) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 500).unref();
};
for (const child of children) child.on("exit", (code) => stop(code ?? 0));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stop(0));
