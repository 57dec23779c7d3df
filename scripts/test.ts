// npm test: the README's test command. Type-checks and lints side by side, then runs the vitest suite,
// and ends with how long each step took.
import { execa } from "execa";
import { projectPaths } from "../src/paths.js";
import { runCli } from "../src/cli/run.js";
import { TIMING_ENV } from "../test/summaryReporter.js";

const HELP = `Usage: npm test [-- <vitest arguments>]

  npm test                          typecheck + lint (side by side), then the whole vitest suite
  npm test -- test/smoke.test.ts    only the named test files (no typecheck or lint)
  npm test -- -t "owner"            any vitest argument is passed on

Ends with the time each step took. The suite starts real engines (see README "Testing").`;

/** Runs an npm script with its output held back, so two can run at once without mixing their lines. */
async function quietly(script: string): Promise<{ script: string; ok: boolean; output: string; seconds: number }> {
  const started = performance.now();
  const result = await execa("npm", ["run", "--silent", script], { cwd: projectPaths.root, reject: false, all: true });
  return { script, ok: result.exitCode === 0, output: result.all ?? "", seconds: (performance.now() - started) / 1000 };
}

import { duration } from "../test/summaryReporter.js";

runCli(async () => {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) return void console.log(HELP);
  const started = performance.now();
  const steps: string[] = [];
  const onlyFiles = args.some((arg) => arg.endsWith(".ts") || arg.startsWith("test/"));

  if (!onlyFiles) {
    console.log("• typecheck and lint, side by side ...");
    const checks = await Promise.all([quietly("typecheck"), quietly("lint")]);
    for (const check of checks) {
      console.log(`${check.ok ? "✔" : "✖"} ${check.script} (${duration(check.seconds)})`);
      if (!check.ok) console.log(check.output);
    }
    const failed = checks.filter((check) => !check.ok).map((check) => check.script);
    if (failed.length) {
      console.log(`\n✖ npm test failed: ${failed.join(" and ")} (fix those first; the suite did not run).`);
      return 1;
    }
    steps.push(checks.map((check) => `${check.script} ${duration(check.seconds)}`).join(", "));
  }

  // The suite's own reporter (test/summaryReporter.ts) prints the times, just above its closing line.
  const suite = await execa("vitest", ["run", ...args], {
    cwd: projectPaths.root,
    preferLocal: true,
    reject: false,
    stdio: "inherit",
    env: { [TIMING_ENV.started]: String(Date.now() - (performance.now() - started)), [TIMING_ENV.steps]: steps.join(", ") },
  });
  return suite.exitCode === 0 ? 0 : 1;
});
