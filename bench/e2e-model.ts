/** The end-to-end benchmark's options, result shapes, fixed parameters and the helpers its parts share. */

import type { CpuUse } from "./e2e-cpu";

export const NEXT_PORT = 3410;
/** Single events per second in the latency run, unless --e2e-latency-rate says otherwise. */
export const LATENCY_RATE = 200;
export const BATCH = 50;
export const WARM_UP_SECONDS = 3;
export const DRAIN_TIMEOUT_MS = 10_000;

export type E2eOptions = {
  /** Seconds per measured phase (latency, saturation), at most 30. */
  seconds: number;
  /** Events/s offered in the saturation run (batches of 50). */
  saturationRate: number;
  /** Single events/s offered in the latency run (default (options.latencyRate ?? LATENCY_RATE)). */
  latencyRate?: number;
  /** Which configurations to run: postgres, pglite, inngest (when its binary exists). */
  engines: string[];
  /** The Inngest server binary (`inngest dev` is run from it); default DEFAULT_INNGEST_BIN. */
  inngestBin?: string;
  /**
   * Profiling: `next start` writes a CPU profile (--cpu-prof) and Postgres runs with pg_stat_statements
   * (track = all), its top statements written beside the profile, per configuration; so are the
   * latency run's per-delivery timestamps (timings-<config>.json).
   */
  profileDir?: string;
  /** Extra environment for `next start` and the setup (e.g. DELIVERY_CONCURRENCY, LOG_LEVEL). */
  env?: Record<string, string>;
};

export type Percentiles = { p50: number; p99: number; max: number; count: number };

export type FloorResult = {
  fixedRate: { rate: number } & Percentiles;
  saturation: { perSec: number; inFlight: number } & Percentiles;
};

export type LatencyResult = Percentiles & {
  rate: number;
  events: number;
  expected: number;
  missing: number;
  duplicates: number;
  postP50: number;
  postP99: number;
  /** Requests answered 503 (load shed) and sent again after Retry-After. */
  shed: number;
};

export type SaturationResult = {
  offeredDeliveries: number;
  ingestedEvents: number;
  sustained: number;
  backlogAtEnd: number;
  drainMs: number | null;
  missing: number;
  cpu: CpuUse;
};

export type EngineResult = {
  config: string;
  label: string;
  skipped?: string;
  latency?: LatencyResult;
  saturation?: SaturationResult;
  latencyCpu?: CpuUse;
  stages?: { label: string; p50: number; p99: number }[];
  peakRssMiB?: number;
};

/** What benchE2e measured, as e2eReport writes it. */
export type E2eRun = { floor: FloorResult; results: EngineResult[]; loadAverage: string };

export const percentiles = (values: number[]): Percentiles => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? Number.NaN, count: sorted.length };
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
