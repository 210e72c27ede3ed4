/** CPU use of the end-to-end benchmark's processes and of the rest of the machine, read from /proc. */

import { readdirSync, readFileSync } from "node:fs";

/** CPU seconds of a process, its reaped children and its live descendants (from /proc, 100 ticks/s). */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime, stime, cutime, cstime are fields 14-17 of stat(5); after the name they start at index 11.
    let ticks = [11, 12, 13, 14].reduce((n, i) => n + Number(fields[i] ?? 0), 0);
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      for (const child of children ? children.split(/\s+/) : []) ticks += cpuSeconds(Number(child)) * 100;
    }
    return ticks / 100;
  } catch {
    return 0;
  }
}

/** The process of `executable` whose command line names `-p <port>` (the throwaway Postgres, Inngest). */
export function processListening(executable: string, port: string | number): number | undefined {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (cmdline[0]?.endsWith(executable) && cmdline.includes("-p") && cmdline.includes(String(port)))
        return Number(entry);
    } catch {
      // gone
    }
  }
  return undefined;
}

/** CPU seconds the whole machine spent busy (all but idle and iowait, from /proc/stat). */
function machineBusySeconds(): number {
  const fields = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "")
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / 100;
}

export type CpuUse = { next: number; postgres: number; bench: number; inngest: number; others: number };

/** The processes whose CPU use is measured on their own (the bench process is always measured). */
export type ProcessIds = { next?: number; postgres?: number; inngest?: number };

/**
 * CPU use (cores) between calls of the server, Postgres, this process (load generator and receiver),
 * Inngest, and everything else on the machine: other work skews the figures, so it is reported.
 */
export function cpuMeter(pids: ProcessIds) {
  const read = () => ({
    next: cpuSeconds(pids.next),
    postgres: cpuSeconds(pids.postgres),
    inngest: cpuSeconds(pids.inngest),
    bench: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    machine: machineBusySeconds(),
    at: performance.now(),
  });
  const start = read();
  return (): CpuUse => {
    const end = read();
    const seconds = (end.at - start.at) / 1000;
    const use = {
      next: (end.next - start.next) / seconds,
      postgres: (end.postgres - start.postgres) / seconds,
      bench: (end.bench - start.bench) / seconds,
      inngest: (end.inngest - start.inngest) / seconds,
    };
    const ours = use.next + use.postgres + use.bench + use.inngest;
    return { ...use, others: Math.max(0, (end.machine - start.machine) / seconds - ours) };
  };
}
