import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import autocannon from "autocannon";

export type Row = {
  name: string;
  throughput: string;
  p50: string;
  p99: string;
  peakMemory: string;
  ratio: string;
  goal: string;
  met: string;
};

/** A stand-in for Inngest's event API on 127.0.0.1: answers like Inngest and remembers what it got. */
export async function startInngestSink(
  onEvents?: (events: { id: string; name: string; data: Record<string, string> }[]) => void,
) {
  let received = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const sent = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const list = Array.isArray(sent) ? sent : [sent];
      received += list.length;
      onEvents?.(list);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ids: list.map((e: { id?: string }) => e.id ?? ""), status: 200 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => received,
    close: () => new Promise((r) => server.close(r)),
  };
}

function treeRssKb(pid: number): number {
  let total = 0;
  try {
    total += Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/)?.[1] ?? 0);
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      for (const child of children ? children.split(/\s+/) : []) total += treeRssKb(Number(child));
    }
  } catch {
    // the process ended
  }
  return total;
}

/** Samples the resident memory of a process and its children every `everyMs`; `stop()` gives the peak (MiB). */
export function sampleMemory(pid: number, everyMs = 250) {
  const samples: number[] = [];
  const read = () => samples.push(treeRssKb(pid) / 1024);
  read();
  const timer = setInterval(read, everyMs);
  return {
    samples,
    stop: () => {
      clearInterval(timer);
      return { peak: Math.max(...samples), samples };
    },
  };
}

/** Starts a server process and waits until `url` answers. */
export async function startServer(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  url: string,
): Promise<ChildProcess> {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return child;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new Error(`${cmd} ${args.join(" ")} did not answer at ${url}`);
}

export type LoadResult = {
  requestsPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  ok: number;
};

/** autocannon against a POST endpoint, with a fresh body per request (unique event ids). */
export async function load(options: {
  url: string;
  headers?: Record<string, string>;
  body: () => string;
  connections: number;
  seconds: number;
  rate?: number;
  /** A fixed number of requests instead of a duration: every answer is counted, none cut off at the end. */
  amount?: number;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    method: "POST",
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.seconds }),
    overallRate: options.rate,
    headers: { "content-type": "application/json", ...options.headers },
    requests: [{ setupRequest: (req) => ({ ...req, body: options.body() }) }],
  });
  return {
    requestsPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    ok: result["2xx"],
  };
}

export const fmt = {
  n: (v: number, digits = 0) =>
    v.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }),
  ms: (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`,
  mib: (v: number) => `${v.toFixed(0)} MiB`,
};

export function table(rows: Row[]): string {
  const head = ["Benchmark", "Throughput", "p50", "p99", "Peak memory", "Ratio to baseline", "Goal", "Met"];
  const lines = rows.map((r) => [r.name, r.throughput, r.p50, r.p99, r.peakMemory, r.ratio, r.goal, r.met]);
  return [head, head.map(() => "---"), ...lines].map((l) => `| ${l.join(" | ")} |`).join("\n");
}
