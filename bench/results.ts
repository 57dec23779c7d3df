// The shape of a bench run's results, as written to bench-results/<timestamp>.json.
import type { EngineKind } from "./engines.js";
import type { MachineInfo } from "./machine.js";
import type { LatencySummary } from "./stats.js";
import type { WorkloadId } from "./workloads.js";

/** One measured run: one workload, data size, concurrency and engine. */
export interface RunRecord {
  workload: WorkloadId;
  size: number;
  concurrency: number;
  engine: EngineKind;
  /** Successful requests per second. */
  rps: number;
  /** Records written per second (batches: rps × batch size); null for reads. */
  itemsPerSec: number | null;
  /** Milliseconds, 2xx responses only. */
  latency: LatencySummary;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  elapsedMs: number;
  firstFailure?: string;
}

/** Ours next to the baseline for the same workload, size and concurrency. */
export interface Comparison {
  workload: WorkloadId;
  size: number;
  concurrency: number;
  ours: RunRecord;
  baseline: RunRecord;
  /** ours rps / baseline rps (≥ 1 means ours is at least as fast). */
  rpsRatio: number | null;
  /** ours p50 / baseline p50 (≤ 1 means ours answers at least as fast). */
  p50Ratio: number | null;
}

export interface TargetCheck {
  name: string;
  /** null: not measurable in this profile. */
  met: boolean | null;
  detail: string;
}

export interface SeedTiming {
  engine: EngineKind;
  fromRows: number;
  toRows: number;
  ms: number;
  /** data.db plus its WAL after seeding (bytes): what this many todos cost on disk. */
  dataBytes: number;
}

export interface BenchResults {
  schemaVersion: 1;
  profile: string;
  startedAt: string;
  finishedAt: string;
  durationSec: number;
  machine: MachineInfo;
  engineVersion: string;
  settings: { users: number; loadUsers: number; sizes: number[]; concurrencies: number[]; durationSec: number; warmupSec: number };
  seeding: SeedTiming[];
  runs: RunRecord[];
  comparisons: Comparison[];
  targets: TargetCheck[];
}
