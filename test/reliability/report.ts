// Figures from a run, printed as one JSON line per scenario so docs/RELIABILITY.md can quote a real
// run. When RELIABILITY_REPORT_DIR is set (npm run test:load sets it), each scenario's figures are
// also written there as <scenario>.json.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Prints (and optionally saves) the figures of one scenario. */
export function report(scenario: string, figures: Record<string, unknown>): void {
  const line = JSON.stringify({ scenario, ...figures });
  console.log(`[reliability] ${line}`);
  const dir = process.env.RELIABILITY_REPORT_DIR;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${scenario}.json`), `${JSON.stringify({ scenario, ...figures }, null, 2)}\n`);
  }
}
