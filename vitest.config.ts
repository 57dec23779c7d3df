import { defineConfig } from "vitest/config";
import LongestFirst from "./test/support/longestFirst.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    // Obtain the engine and compile migrations/hooks once, before any test file starts an engine.
    globalSetup: ["test/globalSetup.ts"],
    // Every test file starts its own engines and spends part of its time waiting on them: three files at a
    // time keep two cores busy (measured: 146 s with three, 155 s with two).
    pool: "forks",
    poolOptions: { forks: { maxForks: 3, minForks: 1 } },
    // The longest files start first, also on a fresh clone (test/support/longestFirst.ts).
    sequence: { sequencer: LongestFirst },
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ["default", "./test/summaryReporter.ts"],
    // Type-level tests (*.test-d.ts) run as tests: tsc checks them, and a wrong expected type is a failed test.
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "test/tsconfig.type-tests.json" },
    // npm run coverage: line and branch coverage of the Node code, the SDK, and the JSVM helpers that Node
    // tests import too. The hooks themselves run inside the engine (goja), where v8 cannot see them: they
    // are covered by the tests that drive them over HTTP (README, "Coverage").
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts", "packages/sdk/src/**/*.ts", "pb_hooks/lib/**/*.ts"],
      exclude: ["packages/sdk/src/generated/**", "**/*.d.ts"],
      reporter: ["text-summary", "html"],
      reportsDirectory: "coverage",
      // Below these the run fails. Measured 2026-12-02: lines 73 %, branches 82 %, functions 85 %. What
      // stays uncovered here is mostly code that runs in another process (the scripts, the JSVM helpers).
      thresholds: { lines: 70, statements: 70, branches: 80, functions: 80 },
    },
  },
});
