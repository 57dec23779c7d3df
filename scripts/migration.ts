// npm run migration -- <name>: write the migration that brings the schema to pb_hooks/lib/collections.ts.
// npm run migration -- --check: exit 1 when the declarations and the migrated schema disagree.
import path from "node:path";
import { describeChanges } from "../src/collections/diff.js";
import { planSchemaChanges, writeMigration } from "../src/collections/plan.js";
import { expectPositionals, parseCliArgs } from "../src/cli/args.js";
import { runCli, UserError } from "../src/cli/run.js";
import { projectPaths } from "../src/paths.js";

const HELP = `Usage: npm run migration -- <name>
       npm run migration -- --check

Compares the collections declared in pb_hooks/lib/collections.ts with the schema that pb_migrations/
produces on an empty database (a throwaway engine), and writes a new migration for the difference:
pb_migrations/<unix-seconds>_<name>.ts. Shipped migrations are never edited; every change is a new one.

The file holds every value it applies (rules, fields, limits, indexes), so it does the same on every
database. Review it: a collection or field you removed from the declarations is dropped with its data.

Options:
  --check      write nothing; exit 1 (and list the differences) when a migration is missing
  -h, --help   show this help`;

runCli(async () => {
  const { values, positionals } = parseCliArgs({ check: { type: "boolean" } });
  if (values.help) return void console.log(HELP);
  const log = (line: string) => console.error(line);
  if (values.check) {
    expectPositionals(positionals, 0, 0, "npm run migration -- --check");
    const changes = await planSchemaChanges({ log });
    if (changes.length === 0) return void console.log("✔ pb_migrations/ produces exactly what pb_hooks/lib/collections.ts declares.");
    throw new UserError(
      `The declarations differ from what the migrations produce:\n${describeChanges(changes)
        .map((l) => `  - ${l}`)
        .join("\n")}\n` + "Write the migration with: npm run migration -- <what_changed>",
    );
  }
  expectPositionals(positionals, 1, 1, "npm run migration -- <name>");
  console.log("• Comparing pb_hooks/lib/collections.ts with the schema pb_migrations/ produces (throwaway engine) ...");
  const { file, changes } = await writeMigration(positionals[0]!, { log });
  if (!file) return void console.log("✔ Nothing to migrate: the migrations already produce what is declared.");
  console.log(`✔ Wrote ${path.relative(projectPaths.root, file)}:`);
  for (const line of describeChanges(changes)) console.log(`  - ${line}`);
  console.log("\nNext steps:");
  console.log("  • Review the file (a removed collection or field is dropped with its data).");
  console.log("  • npm run typegen     regenerate the SDK's types from the new schema");
  console.log("  • npm test            then commit the migration with the declaration and the generated types");
});
