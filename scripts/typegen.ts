// npm run typegen: start a fresh engine on the migrations, read its collections, write packages/sdk/src/generated/.
// npm run typegen -- --check: exit 1 when packages/sdk/src/generated/ is stale (npm test runs this check too).
import path from "node:path";
import { parseArgs } from "node:util";
import { runCli, UserError } from "../src/cli/run.js";
import { projectPaths } from "../src/paths.js";
import { buildSdkPackage, checkTypegen, generatedDir, runTypegen } from "../src/typegen/index.js";

const HELP = `Usage: npm run typegen [-- --check] [-- --out <dir>]

Starts a throwaway PocketBase, applies pb_migrations/ to an empty database, reads the resulting
collections and writes, per collection, the record type, the create/update input types and their zod
schemas into packages/sdk/src/generated/ (committed; do not edit by hand). When they change, the SDK
package is rebuilt (packages/sdk/dist, what \`import "pocketbase-ts-starter-sdk"\` loads).

Options:
  --check      Do not write; exit 1 if the files on disk differ from what the migrations produce.
  --out <dir>  Output directory (default: packages/sdk/src/generated).
  -h, --help   Show this help.`;

runCli(async () => {
  const { values } = parseArgs({
    options: { check: { type: "boolean", default: false }, out: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const outDir = values.out ? path.resolve(values.out) : generatedDir;
  const shown = path.relative(projectPaths.root, outDir) || ".";
  const log = (line: string) => console.error(line);

  if (values.check) {
    const stale = await checkTypegen({ outDir, log });
    if (stale.length === 0) {
      console.log(`✔ ${shown}/ matches the migrations.`);
      return 0;
    }
    throw new UserError(
      `${shown}/ is stale: ${stale.map((name) => `${shown}/${name}`).join(", ")} ` +
        `differ from what the migrations produce. Run \`npm run typegen\` and commit ${shown}/.`,
    );
  }

  const { written, removed, foreign } = await runTypegen({ outDir, log });
  if (written.length === 0 && removed.length === 0) console.log(`✔ ${shown}/ is already up to date.`);
  for (const name of written) console.log(`✔ wrote ${shown}/${name}`);
  for (const name of removed) console.log(`✔ removed ${shown}/${name} (no longer generated)`);
  for (const name of foreign) console.log(`! ${shown}/${name} is not generated; move it out of ${shown}/.`);
  if ((written.length || removed.length) && outDir === generatedDir) {
    console.log("• Rebuilding the SDK package (packages/sdk/dist) ...");
    await buildSdkPackage();
    console.log("✔ rebuilt pocketbase-ts-starter-sdk");
  }
  if (written.length || removed.length) console.log(`Next: review the diff, run \`npm test\`, and commit ${shown}/.`);
  return 0;
});
