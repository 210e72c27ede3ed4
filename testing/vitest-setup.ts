import { afterAll, vi } from "vitest";
import { removeScratchDirs } from "./scratch";

// Server actions and pages read the request through next/headers; here it is testing/request-scope.ts,
// anonymous until a test signs someone in (testing/members.ts).
vi.mock("next/headers", async () => (await import("./request-scope")).nextHeaders);

// `npm test` leaves nothing behind in the temp folder.
afterAll(removeScratchDirs);
