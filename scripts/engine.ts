// npm run engine: obtain the pinned PocketBase binary (and its types.d.ts) without starting anything.
import { prepareEngine } from "../src/engine/index.js";
import { runCli } from "../src/cli/run.js";

runCli(async () => {
  if (process.argv.includes("--help")) {
    console.log(
      "Usage: npm run engine\n\nObtains the pinned PocketBase binary (POCKETBASE_BIN, cache, download, or go install) and its types.d.ts.",
    );
    return;
  }
  const engine = await prepareEngine({ compile: false });
  console.log(`PocketBase ${engine.version} ready (${engine.source}): ${engine.binary}`);
});
