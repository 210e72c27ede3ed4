import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { firstLoadJs } from "./bundle";
import { benchDelivery } from "./delivery";
import { benchE2e, ensureBuild } from "./e2e";
import { e2eReport, withE2eSection } from "./e2e-report";
import { benchFanOut } from "./fanout";
import { benchFlood } from "./flood";
import { fmt, type Row, table } from "./harness";
import { benchIngestBatch, benchIngestSingle } from "./ingest";
import { benchPurge, PURGE_START, type PurgeResult, withPurgeSection } from "./purge";
import { setUp } from "./setup";

const usage = [
  "Usage: npm run bench [-- --seconds 10 --rounds 2 --build --out bench/RESULTS.md]",
  "       npm run bench -- --only ingest,batch,delivery,fanout,flood,purge,bundle,e2e   (a subset; RESULTS.md is left",
  "                        alone, except the e2e section when e2e runs and the purge section when purge runs on ≥ 1M)",
  "       purge options: --purge-events 1000000 (expired events seeded; below 1,000,000 it is a smoke, not written)",
  "       e2e options: --e2e-rate 1100 (events/s offered at saturation) --e2e-latency-rate 200 (single events/s)",
  "                    --e2e-engines postgres,pglite,inngest",
  "                    --e2e-profile DIR (CPU profile of next start, pg_stat_statements of Postgres)",
  "                    --e2e-inngest-bin PATH (default /root/.cache/leadhook/inngest-v1.13.0/inngest)",
  "       npm run bench -- --soak [--soak-seconds 300 --rate 100]",
].join("\n");
const BENCHMARKS = ["ingest", "batch", "delivery", "fanout", "flood", "purge", "bundle", "e2e"] as const;
const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    rounds: { type: "string", default: "2" },
    build: { type: "boolean", default: false },
    out: { type: "string", default: "bench/RESULTS.md" },
    soak: { type: "boolean", default: false },
    "soak-seconds": { type: "string", default: "300" },
    rate: { type: "string", default: "100" },
    only: { type: "string" },
    "e2e-rate": { type: "string", default: "1100" },
    "e2e-latency-rate": { type: "string", default: "200" },
    "e2e-engines": { type: "string", default: "postgres,pglite,inngest" },
    "e2e-profile": { type: "string" },
    "e2e-inngest-bin": { type: "string" },
    "purge-events": { type: "string", default: "1000000" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}

if (values.soak) {
  const { runSoak } = await import("./soak");
  process.exitCode = await runSoak({
    seconds: Number(values["soak-seconds"]),
    rate: Number(values.rate),
    build: values.build,
    out: values.out,
  });
} else {
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const only = values.only?.split(",").map((s) => s.trim());
  const unknown = only?.filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
  if (unknown?.length) {
    console.error(`Unknown benchmark ${unknown.join(", ")}\n${usage}`);
    process.exit(2);
  }
  const runs = (name: (typeof BENCHMARKS)[number]) => !only || only.includes(name);
  // The end-to-end benchmark sets up its own servers; the others share these.
  const bench = BENCHMARKS.some((name) => name !== "e2e" && runs(name))
    ? await setUp({
        build: values.build,
        servers: runs("ingest") || runs("batch") || runs("flood") || runs("purge") || runs("bundle"),
      })
    : undefined;
  const rows: Row[] = [];
  let purge: PurgeResult | undefined;
  const purgeEvents = Number(values["purge-events"]);
  if (!Number.isInteger(purgeEvents) || purgeEvents < 1) {
    console.error(`--purge-events: "${values["purge-events"]}" is not a whole number of events\n${usage}`);
    process.exit(2);
  }
  try {
    if (bench && runs("ingest")) {
      console.log("ingest, single events...");
      rows.push(await benchIngestSingle(bench, seconds, rounds));
    }
    if (bench && runs("batch")) {
      console.log("ingest, batches of 100...");
      rows.push(await benchIngestBatch(bench, seconds));
    }
    if (bench && runs("delivery")) {
      console.log("delivery...");
      rows.push(await benchDelivery(bench, seconds, rounds));
    }
    if (bench && runs("fanout")) {
      console.log("fan-out...");
      rows.push(await benchFanOut(bench));
    }
    if (bench && runs("flood")) {
      console.log("ingest under a forged-key flood...");
      rows.push(await benchFlood(bench, seconds));
    }
    if (bench && runs("purge")) {
      console.log(`retention purge of ${fmt.n(purgeEvents)} expired events, ingest alongside...`);
      purge = await benchPurge(bench, seconds, purgeEvents);
    }
  } finally {
    await bench?.tearDown();
  }
  // The purge has a section of its own (its rows, then rows and sizes before and after), written when it
  // measured what issue 20 §5 asks (1,000,000 events or more), in a subset run too.
  const purgeSection = purge
    ? [
        `## Retention purge on ${fmt.n(purgeEvents)} expired events`,
        "",
        `Command: \`npm run bench -- ${only ? `--only ${only.join(",")} ` : ""}--seconds ${seconds}${only ? "" : ` --rounds ${rounds}`}${purgeEvents !== 1_000_000 ? ` --purge-events ${purgeEvents}` : ""}\`.`,
        purge.details,
      ].join("\n")
    : undefined;
  const withPurge = (text: string) =>
    purge?.measured && purgeSection ? withPurgeSection(text, purgeSection) : text;
  let e2eSection: string | undefined;
  if (runs("e2e")) {
    console.log("end to end (POST to receiver, per engine)...");
    // setUp built already when it started next start; otherwise build when asked or when there is none.
    ensureBuild(values.build && !(bench && (runs("ingest") || runs("batch") || runs("bundle"))));
    const e2eOptions = {
      seconds,
      saturationRate: Number(values["e2e-rate"]),
      latencyRate: Number(values["e2e-latency-rate"]),
      engines: (values["e2e-engines"] ?? "").split(",").map((s) => s.trim()),
      profileDir: values["e2e-profile"],
      inngestBin: values["e2e-inngest-bin"],
    };
    const flags = [
      only ? `--only ${only.join(",")}` : "",
      `--seconds ${seconds}`,
      values.build ? "--build" : "",
      values["e2e-rate"] !== "1100" ? `--e2e-rate ${values["e2e-rate"]}` : "",
      values["e2e-latency-rate"] !== "200" ? `--e2e-latency-rate ${values["e2e-latency-rate"]}` : "",
      values["e2e-engines"] !== "postgres,pglite,inngest" ? `--e2e-engines ${values["e2e-engines"]}` : "",
      values["e2e-inngest-bin"] ? `--e2e-inngest-bin ${values["e2e-inngest-bin"]}` : "",
    ].filter(Boolean);
    e2eSection = e2eReport(await benchE2e(e2eOptions), {
      ...e2eOptions,
      command: `npm run bench -- ${flags.join(" ")}`,
    });
  }
  if (runs("bundle")) {
    const bundle = firstLoadJs("/processes/[id]");
    rows.push({
      name: `First-load JS of /processes/[id] (${bundle.files} files, from the build output)`,
      throughput: "n/a",
      p50: "n/a",
      p99: "n/a",
      peakMemory: "n/a",
      ratio: "n/a",
      goal: "≤ 150 KB gzip",
      met:
        bundle.gzipBytes <= 150 * 1024
          ? `yes (${fmt.n(bundle.gzipBytes / 1024, 1)} KB)`
          : `no (${fmt.n(bundle.gzipBytes / 1024, 1)} KB)`,
    });
  }
  if (purgeSection) {
    console.log(`\n${purgeSection}`);
    if (!purge?.measured) console.log("(fewer than 1,000,000 events: a smoke, its section is not written)");
  }
  if (only) {
    if (rows.length) console.log(`\n${table(rows)}`);
    if (e2eSection) console.log(`\n${e2eSection}`);
    if (e2eSection || purge?.measured) {
      const previous = existsSync(values.out) ? readFileSync(values.out, "utf8") : "";
      writeFileSync(values.out, withPurge(e2eSection ? withE2eSection(previous, e2eSection) : previous));
      const written = [e2eSection ? "end-to-end" : "", purge?.measured ? "purge" : ""].filter(Boolean);
      console.log(`(a subset: only the ${written.join(" and ")} section of ${values.out} was written)`);
    } else console.log(`(a subset: ${values.out} left as it was)`);
    process.exit(0);
  }
  const report = [
    "# Benchmark results",
    "",
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${fmt.n(totalmem() / 1024 ** 3, 0)} GiB memory, Node ${process.version}.`,
    `Command: \`npm run bench -- --seconds ${seconds} --rounds ${rounds}${values.build ? " --build" : ""}\`. Everything on 127.0.0.1: a throwaway PostgreSQL 15,`,
    "`next start` on the production build, an Inngest event-API stand-in. Measured path and baseline alternate in one run;",
    "figures are the mean over the rounds. Load: autocannon, 20 connections (single events) and 8 (batches).",
    "",
    table(rows),
    "",
  ].join("\n");
  console.log(`\n${report}${e2eSection ? `\n${e2eSection}` : ""}`);
  // Keep what follows the table (the e2e analysis from <!-- e2e-analysis -->, the analysis from
  // <!-- analysis -->, the soak section from <!-- soak -->, the purge's); the e2e section goes before them.
  const previous = existsSync(values.out) ? readFileSync(values.out, "utf8") : "";
  const kept = ["<!-- e2e-analysis -->", "<!-- analysis -->", "<!-- soak -->", PURGE_START]
    .map((m) => previous.indexOf(m))
    .filter((i) => i >= 0);
  const tail = kept.length ? previous.slice(Math.min(...kept)) : "";
  const written = tail ? `${report}\n${tail}` : report;
  writeFileSync(values.out, withPurge(e2eSection ? withE2eSection(written, e2eSection) : written));
  console.log(`written to ${values.out}`);
}
