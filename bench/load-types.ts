// The messages between the bench (parent) and its load-driver process (bench/load-worker.ts).
import type { LatencySummary } from "./stats.js";

/** One HTTP request the driver may send; a job's requests are sent round-robin. */
export interface RequestSpec {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Path and query, e.g. /api/collections/todos/records?page=1 */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadJob {
  /** Base URL of the engine, e.g. http://127.0.0.1:8090 */
  url: string;
  connections: number;
  /** Duration-bounded run: measured seconds (after warmup). */
  durationSec?: number;
  /** Count-bounded run (e.g. deletes of a pre-created pool): exactly this many requests, no warmup. */
  amount?: number;
  /** Seconds of load at the start whose responses are not counted. */
  warmupSec?: number;
  /** Per-request timeout, seconds. */
  timeoutSec: number;
  requests: RequestSpec[];
}

export interface LoadResult {
  /** 2xx responses inside the measured window. */
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Length of the measured window, ms. */
  elapsedMs: number;
  /** 2xx responses per second over the measured window. */
  rps: number;
  latency: LatencySummary;
  /** Every 2xx latency (ms) in the window, so several segments can be merged exactly. */
  samples: Float64Array;
  statusCodes: Record<string, number>;
  /** The first non-2xx body seen (truncated), to explain a broken workload. */
  firstFailure?: string;
}

export type WorkerMessage = { type: "result"; result: LoadResult } | { type: "error"; message: string };
