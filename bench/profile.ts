// The two bench profiles. Quick fits about two minutes on a 2-core machine (both engines); full is the
// issue's matrix: 1k, 100k and 1M todos over 1,000 users, every workload at concurrency 1 and 32.
import { WORKLOAD_ORDER, WORKLOADS, type WorkloadId } from "./workloads.js";

export interface Profile {
  name: "quick" | "full";
  /** Seeded todo counts, ascending. */
  sizes: number[];
  /** Users the todos are spread over. */
  users: number;
  /** Users that send the load (each with its own token), the first ones of `users`. */
  loadUsers: number;
  /** At most this many of each load user's todos are targets of view/update. */
  targetsPerUser: number;
  concurrencies: number[];
  /** Measured seconds per duration-bounded run, after warmupSec of unmeasured load. */
  durationSec: number;
  warmupSec: number;
  /** Deletes per delete run (a pool created just before it). */
  deletes: number;
  /** Batch requests per batch run, by batch size. */
  batches: { 100: number; 1000: number };
  /** Which workloads run at the size with this index. */
  workloadsAt(sizeIndex: number): WorkloadId[];
  /** Concurrencies for a workload (batches hold the single writer, so they run one at a time). */
  concurrenciesFor(workload: WorkloadId): number[];
}

const READS = WORKLOAD_ORDER.filter((id) => !WORKLOADS[id].writes);

function concurrenciesFor(this: Profile, workload: WorkloadId): number[] {
  return workload.startsWith("batch") ? [1] : this.concurrencies;
}

export const QUICK: Profile = {
  name: "quick",
  sizes: [1_000, 100_000],
  users: 1_000,
  loadUsers: 32,
  targetsPerUser: 20,
  concurrencies: [1, 32],
  durationSec: 1.5,
  warmupSec: 0.5,
  deletes: 1_000,
  batches: { 100: 8, 1000: 2 },
  // Reads at every size, writes only at the largest (they barely depend on the table size).
  workloadsAt(sizeIndex) {
    return sizeIndex === this.sizes.length - 1 ? [...WORKLOAD_ORDER] : READS;
  },
  concurrenciesFor,
};

export const FULL: Profile = {
  name: "full",
  sizes: [1_000, 100_000, 1_000_000],
  users: 1_000,
  loadUsers: 32,
  targetsPerUser: 50,
  concurrencies: [1, 32],
  durationSec: 5,
  warmupSec: 1,
  deletes: 4_000,
  batches: { 100: 30, 1000: 8 },
  workloadsAt() {
    return [...WORKLOAD_ORDER];
  },
  concurrenciesFor,
};
