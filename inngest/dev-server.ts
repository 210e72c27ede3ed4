import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

/**
 * `npm run dev`: Next.js, whose built-in queue delivers webhooks with nothing else running. When an
 * Inngest binary is at hand (INNGEST_BIN, or the optional inngest-cli package, whose install downloads
 * it and so fails offline), the Inngest Dev Server starts beside it and deliveries run there instead,
 * unless LEADHOOK_ENGINE=embedded.
 */
const port = process.env.PORT ?? "3000";
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
