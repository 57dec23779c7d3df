// npm run build:pb: compile pb_migrations/ and pb_hooks/ from TypeScript into .build/ for the engine.
import { prepareEngine } from "../src/engine/index.js";
import { projectPaths } from "../src/paths.js";
import { runCli } from "../src/cli/run.js";

runCli(async () => {
  await prepareEngine();
  console.log(`Compiled migrations and hooks into ${projectPaths.build}`);
});
