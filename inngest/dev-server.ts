import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

/**
 * `npm run dev`: Next.js, plus the Inngest Dev Server when inngest-cli is installed (an optional
 * dependency whose install downloads a binary, so offline machines go without it). Without it, events
 * are still accepted and stored, and are delivered once an Inngest server is reachable.
 */
const port = process.env.PORT ?? "3000";
const env = { ...process.env, INNGEST_DEV: process.env.INNGEST_DEV ?? "1" };
const bin = (name: string) => path.join(process.cwd(), "node_modules", ".bin", name);
const cliBinary = path.join(process.cwd(), "node_modules", "inngest-cli", "bin", "inngest");

const children: ChildProcess[] = [spawn(bin("next"), ["dev", "--port", port], { stdio: "inherit", env })];
if (existsSync(cliBinary)) {
  children.push(
    spawn(cliBinary, ["dev", "--no-discovery", "-u", `http://localhost:${port}/api/inngest`], {
      stdio: "inherit",
      env,
    }),
  );
  console.log(`leadhook: Inngest Dev Server starting at http://localhost:8288 (deliveries run through it)`);
} else {
  console.log(
    "leadhook: inngest-cli is not installed, so events are accepted and stored but not delivered until an Inngest server is reachable. Start one with `npx inngest-cli@latest dev -u http://localhost:3000/api/inngest` (it downloads a binary), or set INNGEST_BASE_URL.",
  );
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
