// npm run test:load: the LONG versions of the reliability scenarios (test/reliability): concurrent
// load, SIGKILL/SIGTERM crash cycles, hostile input, auth abuse. Same code as `npm test` runs, with
// RELIABILITY_PROFILE=long. A thin shell over vitest: its output and exit code pass straight through.
import { createRequire } from "node:module";
import path from "node:path";
import { execa } from "execa";
import { parseCliArgs } from "../../src/cli/args.js";
import { runCli, UserError } from "../../src/cli/run.js";
import { projectPaths } from "../../src/paths.js";
import { PROFILES } from "./profile.js";

const long = PROFILES.long;

const HELP = `Usage: npm run test:load [-- options] [-- <vitest filter>]

Runs the long reliability scenarios (docs/RELIABILITY.md) against real engines on loopback:
  load        ${long.load.users} concurrent users × ${long.load.opsPerUser} mixed operations, exact final state, no 5xx, no leaks
  crash       SIGKILL during ${long.crash.writers} concurrent writers (${long.crash.killCycles} cycles), SIGTERM under load (${long.crash.termCycles} cycles)
  hostile     fast-check: ${long.hostile.numRuns} runs per endpoint family, oversized bodies
  auth-abuse  rate limit under a password-guessing burst, token revocation
  litestream  Litestream to S3 (moto), SIGKILL mid-write, restore into a fresh data dir (long only;
              needs bash .ci/install-litestream.sh and .ci/install-moto.sh)
Takes several minutes (≤ 15 on a busy 2-core machine). \`npm test\` runs the short versions.

Options:
  --short              run the short profile instead (what npm test runs)
  --seed <n>           seed for the load and crash scenarios (printed by every run)
  --report-dir <dir>   write each scenario's figures as JSON there (default: test-results/reliability/)
  -h, --help           show this help

Examples:
  npm run test:load
  npm run test:load -- crash            only test/reliability/crash.test.ts
  npm run test:load -- --seed 1234 load`;

runCli(async () => {
  const { values, positionals } = parseCliArgs({ short: { type: "boolean" }, seed: { type: "string" }, "report-dir": { type: "string" } });
  if (values.help) return void console.log(HELP);
  if (values.seed !== undefined && !/^[1-9]\d*$/.test(values.seed))
    throw new UserError(`--seed must be a positive integer, got "${values.seed}".`);
  const reportDir = path.resolve(values["report-dir"] ?? path.join(projectPaths.root, "test-results", "reliability"));
  const files = positionals.length
    ? positionals.map((name) => `test/reliability/${name.replace(/(\.test)?\.ts$/, "")}`)
    : ["test/reliability/"];

  const vitest = createRequire(import.meta.url).resolve("vitest/vitest.mjs");
  // One file at a time: the scenarios measure the engine, not each other.
  const result = await execa(process.execPath, [vitest, "run", "--no-file-parallelism", ...files], {
    cwd: projectPaths.root,
    stdio: "inherit",
    reject: false,
    env: {
      RELIABILITY_PROFILE: values.short ? "short" : "long",
      RELIABILITY_REPORT_DIR: reportDir,
      ...(values.seed ? { RELIABILITY_SEED: values.seed } : {}),
    },
  });
  if (result.exitCode === 0) console.log(`\n✔ Reliability scenarios passed. Figures: ${reportDir}/*.json (quoted in docs/RELIABILITY.md).`);
  else
    console.error(
      `\n✖ Reliability scenarios failed (exit ${result.exitCode ?? result.signal}). Rerun one with: npm run test:load -- <load|crash|hostile|auth-abuse|litestream>`,
    );
  return result.exitCode ?? 1;
});
