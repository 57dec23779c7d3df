// The one place that decides how hard the reliability scenarios push. `npm test` runs the short
// profile (seconds per scenario); `npm run test:load` sets RELIABILITY_PROFILE=long. Every scenario
// is one implementation parameterized by these numbers, so the short run exercises the same code.

export type ProfileName = "short" | "long";

/** Environment variable that selects the profile ("short" when unset). */
export const PROFILE_ENV = "RELIABILITY_PROFILE";

export interface ReliabilityProfile {
  name: ProfileName;
  load: {
    /** Simulated users, all active at the same time. */
    users: number;
    /** Operations each user performs (fewer if the time bound is reached first). */
    opsPerUser: number;
    /** Hard bound on the operation phase; users stop when it passes. */
    maxDurationMs: number;
    /** Sign-ups in flight at once (bcrypt dominates: keep it near the core count). */
    signupParallelism: number;
  };
  crash: {
    /** SIGKILL cycles in one run. */
    killCycles: number;
    /** Concurrent writers during each cycle. */
    writers: number;
    /** The kill lands at a random moment in [min, max] ms after writes started. */
    killAfterMs: readonly [number, number];
    /** Graceful (SIGTERM) stop cycles under light load. */
    termCycles: number;
  };
  hostile: {
    /** fast-check runs per endpoint family. */
    numRuns: number;
  };
  /** Per-test timeout for the heavier tests of this profile. */
  testTimeoutMs: number;
}

export const PROFILES: Record<ProfileName, ReliabilityProfile> = {
  short: {
    name: "short",
    load: { users: 10, opsPerUser: 30, maxDurationMs: 15_000, signupParallelism: 2 },
    crash: { killCycles: 2, writers: 4, killAfterMs: [300, 900], termCycles: 1 },
    hostile: { numRuns: 30 },
    testTimeoutMs: 90_000,
  },
  long: {
    name: "long",
    load: { users: 50, opsPerUser: 300, maxDurationMs: 480_000, signupParallelism: 3 },
    crash: { killCycles: 8, writers: 12, killAfterMs: [500, 4_000], termCycles: 3 },
    hostile: { numRuns: 1000 },
    testTimeoutMs: 600_000,
  },
};

/** Reads the profile name from the environment; anything but "long" is the short profile. */
export function profileName(env: NodeJS.ProcessEnv = process.env): ProfileName {
  return env[PROFILE_ENV]?.trim().toLowerCase() === "long" ? "long" : "short";
}

/** The profile in force for this process. */
export const profile: ReliabilityProfile = PROFILES[profileName()];
