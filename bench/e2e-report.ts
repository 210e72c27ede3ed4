/** The end-to-end section of RESULTS.md: how it was measured, the figures, the stages, and where it goes. */

import { cpus, totalmem } from "node:os";
import type { CpuUse } from "./e2e-cpu";
import {
  BATCH,
  DRAIN_TIMEOUT_MS,
  type E2eOptions,
  type E2eRun,
  type EngineResult,
  type FloorResult,
  LATENCY_RATE,
  WARM_UP_SECONDS,
} from "./e2e-model";
import { fmt } from "./harness";

// Issue 16's goals for the embedded engine on PostgreSQL: at 200 single events/s, and at saturation.
const GOAL = { p50: 25, p99: 50, perSec: 2000, cores: 0.9 };

const cpuText = (c: CpuUse) =>
  [c.next, c.postgres, c.bench, ...(c.inngest ? [c.inngest] : []), c.others]
    .map((v) => v.toFixed(2))
    .join(" / ") + (c.inngest ? " (Inngest before others)" : "");

const md = (lines: string[][]) => lines.map((l) => `| ${l.join(" | ")} |`).join("\n");

/** The figures table's header. */
const head = (options: E2eOptions) => [
  "Configuration",
  `Latency p50, 202 → arrival (${options.latencyRate ?? LATENCY_RATE} events/s)`,
  "p99",
  "Arrived / expected (duplicates)",
  "POST p50 / p99",
  "Sustained deliveries/s",
  "Backlog when sending stopped",
  "CPU in cores at 200 events/s: next / Postgres / bench / other processes",
  "CPU at saturation",
  "Peak RSS of next start",
  "Goal",
  "Met",
];

/** The floor's row of the figures table. */
const floorRow = (floor: FloorResult) => [
  "Floor: raw `undici` POST loop to the same receiver",
  `${fmt.ms(floor.fixedRate.p50)} per request (${floor.fixedRate.rate} req/s)`,
  fmt.ms(floor.fixedRate.p99),
  "n/a",
  "n/a",
  `${fmt.n(floor.saturation.perSec)} (${floor.saturation.inFlight} in flight, p50 ${fmt.ms(floor.saturation.p50)}, p99 ${fmt.ms(floor.saturation.p99)})`,
  "n/a",
  "n/a",
  "n/a",
  "n/a",
  "n/a",
  "n/a",
];

/** A configuration's row of the figures table: its figures, its goal and whether it was met. */
function engineRow(r: EngineResult): string[] {
  const goal =
    r.config === "postgres"
      ? `p50 ≤ ${GOAL.p50} ms, p99 ≤ ${GOAL.p99} ms, next + Postgres < ${GOAL.cores} cores, ≥ ${fmt.n(GOAL.perSec)} deliveries/s`
      : "report";
  if (r.skipped || !r.latency || !r.saturation)
    return [r.label, `not measured: ${r.skipped ?? "no result"}`, "", "", "", "", "", "", "", goal, "n/a"];
  const { latency: l, saturation: s } = r;
  const keptUp = s.backlogAtEnd <= s.offeredDeliveries; // less than a second's worth left over
  const sustained = keptUp
    ? `≥ ${fmt.n(s.sustained)} (kept up with the ${fmt.n(s.offeredDeliveries)} offered)`
    : `${fmt.n(s.sustained)} (offered ${fmt.n(s.offeredDeliveries)}; events answered 202: ${fmt.n(s.ingestedEvents)}/s)`;
  const ms = (v: number) =>
    Number.isFinite(v) ? fmt.ms(v) : `not arrived ${DRAIN_TIMEOUT_MS / 1000} s after the run`;
  const met =
    r.config !== "postgres"
      ? "n/a"
      : [
          `p50 ${l.p50 <= GOAL.p50 ? "yes" : "no"}`,
          `p99 ${l.p99 <= GOAL.p99 ? "yes" : "no"}`,
          `CPU ${r.latencyCpu ? (r.latencyCpu.next + r.latencyCpu.postgres < GOAL.cores ? "yes" : "no") : "n/a"}`,
          `throughput ${s.sustained >= GOAL.perSec ? "yes" : "no"}`,
        ].join(", ");
  return [
    r.label,
    ms(l.p50),
    ms(l.p99),
    `${fmt.n(l.expected - l.missing)} / ${fmt.n(l.expected)} (${l.duplicates})`,
    `${fmt.ms(l.postP50)} / ${fmt.ms(l.postP99)}${l.shed ? ` (${fmt.n(l.shed)} answered 503, sent again)` : ""}`,
    sustained,
    `${fmt.n(s.backlogAtEnd)} deliveries${s.drainMs !== null ? `, drained in ${fmt.n(s.drainMs / 1000, 1)} s` : `, ${fmt.n(s.missing)} still missing ${DRAIN_TIMEOUT_MS / 1000} s later`}`,
    r.latencyCpu ? cpuText(r.latencyCpu) : "n/a",
    cpuText(s.cpu),
    r.peakRssMiB ? fmt.mib(r.peakRssMiB) : "n/a",
    goal,
    met,
  ];
}

/** The stage table of the configurations that have stages (none: no lines). */
function stageTable(results: EngineResult[]): string[] {
  const measured = results.filter((r) => r.stages?.length);
  const labels = [...new Set(measured.flatMap((r) => (r.stages ?? []).map((s) => s.label)))];
  if (!measured.length) return [];
  return [
    "",
    `Where the time goes in the latency run (p50 / p99 per delivery, from the database's timestamps: \`events.received_at\`,`,
    "`deliveries.created_at`, `delivery_attempts.started_at` /",
    "`created_at`; the 202 and the arrival from the load generator's and the receiver's clock, the same machine's):",
    "",
    md([
      ["Stage", ...measured.map((r) => r.config)],
      ["---", ...measured.map(() => "---")],
      ...labels.map((label) => [
        label,
        ...measured.map((r) => {
          const stage = r.stages?.find((s) => s.label === label);
          return stage ? `${fmt.ms(stage.p50)} / ${fmt.ms(stage.p99)}` : "n/a";
        }),
      ]),
    ]),
  ];
}

/** The paragraph on the machine, the command and how it was measured. */
function method({ floor, loadAverage }: E2eRun, options: E2eOptions & { command: string }): string[] {
  const cores = `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${fmt.n(totalmem() / 1024 ** 3, 0)} GiB memory, Node ${process.version}`;
  return [
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cores}. Command: \`${options.command}\`.`,
    `Load average when it started: ${loadAverage}; the CPU columns show what other processes took meanwhile.`,
    "Each event goes to 2 callbacks (one Bearer, one custom auth header) at two paths of one `node:http` receiver on 127.0.0.1,",
    "in a worker thread of the bench process: it answers 200 at once and records the arrival time per event id and path.",
    `Per configuration a fresh database and \`next start\` on the production build; ${WARM_UP_SECONDS} s of warm-up at ${options.latencyRate ?? LATENCY_RATE} events/s, then:`,
    `latency: single events POSTed open loop (fixed schedule, never waiting for an answer) at ${options.latencyRate ?? LATENCY_RATE} events/s for ${options.seconds} s,`,
    "per delivery the arrival minus the moment its event's 202 came back; saturation: batches of",
    `${BATCH} events offered open loop at ${fmt.n(options.saturationRate)} events/s (${fmt.n(options.saturationRate * 2)} deliveries/s) for ${options.seconds} s, sustained = arrivals per`,
    `second after the first third; afterwards each run is given ${DRAIN_TIMEOUT_MS / 1000} s to finish. Floor: \`undici\` POSTs of a webhook-sized body`,
    `to the same receiver, ${floor.fixedRate.rate} req/s open loop, then ${floor.saturation.inFlight} in flight.`,
  ];
}

/** The RESULTS.md section: how it was measured, the figures, and the stage breakdown. */
export function e2eReport(measured: E2eRun, options: E2eOptions & { command: string }): string {
  const columns = head(options);
  return [
    "<!-- e2e -->",
    "## End to end: POST /api/events to the receiver",
    "",
    ...method(measured, options),
    "",
    md([columns, columns.map(() => "---"), floorRow(measured.floor), ...measured.results.map(engineRow)]),
    ...stageTable(measured.results),
    "",
  ].join("\n");
}

const MARKERS = [
  "<!-- e2e -->",
  "<!-- e2e-analysis -->",
  "<!-- analysis -->",
  "<!-- soak -->",
  "<!-- purge -->",
];

/**
 * Puts the e2e section into RESULTS.md: in place of the previous one, or before the hand-written
 * sections (the e2e analysis, the analysis, the soak) and the purge's, which are kept as they are.
 */
export function withE2eSection(previous: string, section: string): string {
  const start = previous.indexOf("<!-- e2e -->");
  if (start >= 0) {
    const after = MARKERS.slice(1)
      .map((m) => previous.indexOf(m, start + 1))
      .filter((i) => i > start);
    const end = after.length ? Math.min(...after) : previous.length;
    return `${previous.slice(0, start)}${section}\n${previous.slice(end)}`;
  }
  const kept = MARKERS.slice(1)
    .map((m) => previous.indexOf(m))
    .filter((i) => i >= 0);
  if (!kept.length) return `${previous.trimEnd()}\n\n${section}`;
  const at = Math.min(...kept);
  return `${previous.slice(0, at)}${section}\n${previous.slice(at)}`;
}
