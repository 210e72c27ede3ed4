import { rmSync } from "node:fs";

/** Removes the e2e servers' data folder: `npm test` leaves nothing behind in the temp folder. */
export default function teardown(): void {
  const dir = process.env.LEADHOOK_E2E_SCRATCH;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
