// Prints one plain closing line, "Tests: N passed, N failed, N skipped", that any CI log reader can parse,
// and above it how long the run took (npm test prints both itself, after its typecheck and lint).
import { writeFileSync } from "node:fs";
import type { Reporter, TestModule } from "vitest/node";

/**
 * Set by npm test (scripts/test.ts): write the closing lines to this file instead of printing them, so that
 * npm test can print them last, after the typecheck and lint results.
 */
export const SUMMARY_FILE_ENV = "STARTER_TEST_SUMMARY_FILE";

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
    const closing = `The suite took ${duration((Date.now() - this.started) / 1000)}\n${this.line}`;
    const file = process.env[SUMMARY_FILE_ENV];
    if (file) writeFileSync(file, `${this.line}\n`);
    else console.log(`\n${closing}`);
  }
}
