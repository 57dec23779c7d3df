// npm test: the README's test command. Runs the vitest suite, and alongside it, at a lower CPU priority,
// the typecheck and the linters (they fill the time the suite spends waiting on its engines). Ends with
// what failed, how long each step took, and the suite's closing "Tests: ..." line, last.
import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { projectPaths } from "../src/paths.js";
import { runCli } from "../src/cli/run.js";
import { duration, SUMMARY_FILE_ENV } from "../test/summaryReporter.js";

const HELP = `Usage: npm test [-- <vitest arguments>]

  npm test                          the whole vitest suite, with typecheck and lint alongside
  npm test -- test/smoke.test.ts    only the named test files (no typecheck or lint)
  npm test -- -t "owner"            any vitest argument is passed on

Ends with the time each step took. The suite starts real engines (see README "Testing").`;

/**
 * The checks, each with its CPU priority (nice). ESLint is the longest single-threaded job: at full priority it
 * ends early instead of trailing the suite; the short ones yield to the suite's engines.
 */
const CHECKS = [
  { script: "lint:code", nice: 0 },
  { script: "typecheck", nice: 10 },
  { script: "lint:format", nice: 10 },
] as const;

interface CheckResult {
  script: string;
  ok: boolean;
  output: string;
  seconds: number;
}

/** Runs an npm script, with its output held back so that it never mixes with the suite's. */
async function check({ script, nice }: (typeof CHECKS)[number]): Promise<CheckResult> {
  const started = performance.now();
  const command = ["npm", "run", "--silent", script];
  const result = await execa("nice", ["-n", String(nice), ...command], { cwd: projectPaths.root, reject: false, all: true });
  return { script, ok: result.exitCode === 0, output: result.all ?? "", seconds: (performance.now() - started) / 1000 };
}

runCli(async () => {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) return void console.log(HELP);
  const started = performance.now();
  const onlyFiles = args.some((arg) => arg.endsWith(".ts") || arg.startsWith("test/"));

  if (!onlyFiles) console.log(`• ${CHECKS.map((c) => c.script).join(", ")} run alongside the suite (results at the end) ...`);
  const checks = onlyFiles ? Promise.resolve([]) : Promise.all(CHECKS.map(check));
  const summaryFile = path.join(tmpdir(), `starter-test-summary-${process.pid}`);
  const suite = await execa("vitest", ["run", ...args], {
    cwd: projectPaths.root,
    preferLocal: true,
    reject: false,
    stdio: "inherit",
    env: { [SUMMARY_FILE_ENV]: summaryFile },
  });
  const suiteSeconds = (performance.now() - started) / 1000;
  const results = await checks;
  const summary = await readFile(summaryFile, "utf8").catch(() => "");
  await rm(summaryFile, { force: true });

  console.log("");
  for (const result of results) {
    console.log(`${result.ok ? "✔" : "✖"} ${result.script}`);
    if (!result.ok) console.log(result.output.trimEnd());
  }
  const steps = [`tests ${duration(suiteSeconds)}`, ...results.map((r) => `${r.script} ${duration(r.seconds)}`)];
  console.log(`npm test took ${duration((performance.now() - started) / 1000)} (${steps.join(", ")}; the checks alongside the tests)`);
  if (summary) console.log(summary.trimEnd());
  return suite.exitCode === 0 && results.every((r) => r.ok) ? 0 : 1;
});
