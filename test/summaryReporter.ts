// Prints one plain closing line, "Tests: N passed, N failed, N skipped", that any CI log reader can parse,
// and above it how long the run took (with npm test's typecheck and lint when npm test started it).
import type { Reporter, TestModule } from "vitest/node";

/** What scripts/test.ts passes down: when npm test started (epoch ms), and its earlier steps' times. */
export const TIMING_ENV = { started: "STARTER_TEST_STARTED", steps: "STARTER_TEST_STEPS" } as const;

export function duration(seconds: number): string {
  return seconds < 60 ? `${Math.round(seconds)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

export default class SummaryReporter implements Reporter {
  private line = "";
  private readonly started = Date.now();

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") counts.passed++;
        else if (state === "failed") counts.failed++;
        else counts.skipped++;
      }
      if (module.state() === "failed" && [...module.children.allTests()].length === 0) counts.failed++;
    }
    this.line = `Tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
  }

  /** Runs after the default reporter's summary, so this stays the last line of the run. */
  onFinished(): void {
    if (!this.line) return;
    const suite = duration((Date.now() - this.started) / 1000);
    const npmTestStarted = Number(process.env[TIMING_ENV.started]);
    const steps = process.env[TIMING_ENV.steps];
    const timing = npmTestStarted
      ? `npm test took ${duration((Date.now() - npmTestStarted) / 1000)} (${steps ? `${steps}, ` : ""}tests ${suite})`
      : `The suite took ${suite}`;
    console.log(`\n${timing}\n${this.line}`);
  }
}
