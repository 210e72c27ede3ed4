import { readFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { exampleEvent } from "@/lib/sample-event";
import { it } from "@/testing/db-test";
import { processWithCallbacks } from "@/testing/fixtures";
import { createDeliveriesForEvents } from "./queries/deliveries";
import { storeEvents } from "./queries/events";
import { deliveries } from "./schema";

/*
 * The README's quick start shows a producer's curl and the body an Activity Update callback gets for it.
 * Both are taken from the README here and checked against what leadhook really does with them.
 */
const readme = readFileSync(path.resolve(import.meta.dirname, "..", "README.md"), "utf8");

function fenced(after: string, language: string): string {
  const start = readme.indexOf(after);
  expect(start, `README has "${after}"`).toBeGreaterThan(-1);
  const open = readme.indexOf(`\`\`\`${language}\n`, start);
  return readme.slice(open + language.length + 4, readme.indexOf("```", open + 3));
}

it("the README's example event is the process page's, and its body example is what the callback gets", async ({
  db,
}) => {
  const curl = fenced("4. Send an event", "sh");
  const sent = JSON.parse(/-d '([^']+)'/.exec(curl)?.[1] ?? "") as Record<string, unknown>;
  expect(sent).toEqual(exampleEvent("<process id>"));

  const { workspaceId, process } = await processWithCallbacks("OutReach Plan (hinglish)", [
    { payloadFormat: "activity_update" },
  ]);
  const stored = await storeEvents(workspaceId, [{ ...exampleEvent(process.id) }]);
  await createDeliveriesForEvents(stored.accepted.map((e) => e.id));
  const [delivery] = await db
    .select({ payload: deliveries.payload })
    .from(deliveries)
    .where(eq(deliveries.eventId, stored.accepted[0]?.id as string));

  const documented = JSON.parse(fenced("The body an Activity Update callback gets", "json")) as unknown;
  expect(JSON.parse(JSON.stringify(delivery?.payload).replaceAll(process.id, "<process id>"))).toEqual(
    documented,
  );
});
