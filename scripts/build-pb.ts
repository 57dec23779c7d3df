// npm run build:pb: compile pb_migrations/ and pb_hooks/ from TypeScript into .build/ for the engine.
import { prepareEngine } from "../src/engine/index.js";
import { projectPaths } from "../src/paths.js";
import { expectPositionals, parseCliArgs } from "../src/cli/args.js";
import { runCli } from "../src/cli/run.js";

const HELP = `Usage: npm run build:pb

Compiles pb_migrations/*.ts and pb_hooks/**/*.ts into .build/, the JavaScript the engine's JSVM runs
(obtaining the engine first, for its types.d.ts). npm start, npm run dev and the tests do this on their
own; run it to check the JSVM code compiles, or before starting the engine by hand.`;

runCli(async () => {
  const { values, positionals } = parseCliArgs({});
  if (values.help) return void console.log(HELP);
  expectPositionals(positionals, 0, 0, "npm run build:pb");
  await prepareEngine();
  console.log(`Compiled migrations and hooks into ${projectPaths.build}`);
});
