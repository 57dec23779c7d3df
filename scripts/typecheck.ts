// npm run typecheck: type-check the Node code (tsconfig.json) and the JSVM code (tsconfig.pb.json,
// against the engine's own types.d.ts, which this obtains first).
import { execa } from "execa";
import { prepareEngine } from "../src/engine/index.js";
import { tscCommand } from "../src/engine/compile.js";
import { projectPaths } from "../src/paths.js";
import { expectPositionals, parseCliArgs } from "../src/cli/args.js";
import { runCli } from "../src/cli/run.js";

const HELP = `Usage: npm run typecheck

Type-checks the Node code, the SDK, the tests and the benchmarks (tsconfig.json) and the JSVM code
(tsconfig.pb.json: pb_migrations/ and pb_hooks/ against the engine's own types.d.ts, obtained first).
npm test runs it alongside the suite.`;

runCli(async () => {
  const { values, positionals } = parseCliArgs({});
  if (values.help) return void console.log(HELP);
  expectPositionals(positionals, 0, 0, "npm run typecheck");
  await prepareEngine({ compile: false });
  let failed = false;
  for (const project of ["tsconfig.json", "tsconfig.pb.json"]) {
    const [command, args] = tscCommand(["--noEmit", "--pretty"], project);
    const result = await execa(command, args, {
      cwd: projectPaths.root,
      reject: false,
      stdio: "inherit",
    });
    console.log(`${result.exitCode === 0 ? "✔" : "✖"} typecheck ${project}`);
    failed ||= result.exitCode !== 0;
  }
  return failed ? 1 : 0;
});
