import { createHash, randomBytes } from "node:crypto";
import { Agent, request } from "undici";
import { fmt, load, type Row } from "./harness";
import { type Bench, NEXT_PORT } from "./setup";

const FLOOD = 1_000;

/** A key of leadhook's shape with the plain SHA-256 checksum anyone can compute (what a forger sends). */
function forgedKey(): string {
  const body = randomBytes(24).toString("base64url");
  return `lh_${body}${createHash("sha256").update(body).digest("base64url").slice(0, 6)}`;
}

let counter = 0;
const event = (processId: string) => {
  counter += 1;
  return JSON.stringify({
    id: `flood_${process.pid}_${counter}`,
    type: "lead.status_changed",
    processId,
    occurredAt: new Date().toISOString(),
    lead: { id: `lead_${counter % 500}`, status: "Interested" },
  });
};

/**
 * A producer with a valid key sends 50 events/s, alone and then while waves of 1,000 concurrent requests
 * with forged keys arrive every second, each from an address of its own (so the per-address limit does not
 * stop them: what is measured is that a forged key never reaches the database). Issue 17, section 7.
 */
export async function benchFlood(bench: Bench, seconds: number): Promise<Row> {
  const url = `http://127.0.0.1:${NEXT_PORT}/api/events`;
  const producer = () =>
    load({
      url,
      headers: { authorization: `Bearer ${bench.key}` },
      body: () => event(bench.ingestProcessId),
      connections: 10,
      seconds,
      rate: 50,
    });
  const quiet = await producer();

  const agent = new Agent({ connections: FLOOD, pipelining: 0 });
  const answers = new Map<string, number>();
  let flooding = true;
  let address = 0;
  const wave = () =>
    Promise.all(
      Array.from({ length: FLOOD }, async () => {
        address += 1;
        const status = await request(url, {
          method: "POST",
          dispatcher: agent,
          headers: {
            authorization: `Bearer ${forgedKey()}`,
            "content-type": "application/json",
            "x-forwarded-for": `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`,
          },
          body: event(bench.ingestProcessId),
        }).then(
          async (r) => {
            await r.body.dump();
            return String(r.statusCode);
          },
          (e: NodeJS.ErrnoException) => e.code ?? "error",
        );
        answers.set(status, (answers.get(status) ?? 0) + 1);
      }),
    );
  const floods = (async () => {
    while (flooding) await Promise.all([wave(), new Promise((r) => setTimeout(r, 1000))]);
  })();
  const loaded = await producer();
  flooding = false;
  await floods;
  await agent.close();

  const sent = [...answers.values()].reduce((a, b) => a + b, 0);
  const refused = answers.get("401") ?? 0;
  const other = sent - refused;
  const ratio = loaded.p99 / Math.max(quiet.p99, 1);
  const clean = loaded.errors === 0 && loaded.non2xx === 0 && other === 0;
  console.log(`  flood answers: ${JSON.stringify(Object.fromEntries(answers))}`);
  return {
    name: `Ingest under a forged-key flood (waves of ${fmt.n(FLOOD)} concurrent forged keys a second, each from its own address; a producer at 50 events/s)`,
    throughput: `producer ${fmt.n(loaded.ok)} of ${fmt.n(loaded.ok + loaded.non2xx + loaded.errors)} accepted; flood ${fmt.n(refused)} of ${fmt.n(sent)} answered 401${other ? `, ${fmt.n(other)} otherwise` : ""}`,
    p50: `${fmt.ms(loaded.p50)} (quiet ${fmt.ms(quiet.p50)})`,
    p99: `${fmt.ms(loaded.p99)} (quiet ${fmt.ms(quiet.p99)})`,
    peakMemory: "n/a",
    ratio: `${ratio.toFixed(2)}× p99`,
    goal: "every producer event accepted, every forged key 401",
    met: clean ? "yes" : "no",
  };
}
