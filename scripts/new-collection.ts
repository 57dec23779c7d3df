// npm run new:collection -- <name> [--owned|--read-only|--private] --field <spec> ...  (or no arguments: asks)
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { COLLECTIONS } from "../pb_hooks/lib/collections.js";
import type { Policy } from "../pb_hooks/lib/declaration.js";
import { describeChanges } from "../src/collections/diff.js";
import { DECLARATIONS_FILE, FIELD_KINDS, FieldSpecError, insertDeclaration, newDeclaration } from "../src/collections/newCollection.js";
import { writeMigration } from "../src/collections/plan.js";
import { parseCliArgs } from "../src/cli/args.js";
import { runCli, UserError } from "../src/cli/run.js";
import { projectPaths } from "../src/paths.js";
import { buildSdkPackage, runTypegen } from "../src/typegen/index.js";
import { createIncrementalCompiler } from "../src/engine/incrementalCompile.js";

const HELP = `Usage: npm run new:collection -- <name> [--owned | --read-only | --private] --field <spec> [--field <spec> ...]
       npm run new:collection            (asks for each part)

Declares a collection in pb_hooks/lib/collections.ts, writes its migration into pb_migrations/,
regenerates the SDK's types and rebuilds the SDK package. The hooks, the API rules, OpenAPI, the
auditor and the access tests all read the declaration: nothing else needs editing.

Policies (who may do what):
  --owned       each record belongs to the user who creates it; only they see and change it (default)
  --read-only   reference data: signed-in users read it, superusers write it
  --private     superusers only (the dashboard and scripts)

Fields (--field name:kind[:options]; a "!" after the name makes it required, e.g. due!:date):
${Object.values(FIELD_KINDS)
  .map((line) => `  ${line}`)
  .join("\n")}
  Every collection also gets id, created and updated; an owned one gets its owner (set by the server).

Example:
  npm run new:collection -- notes --owned --field title:text:1-120 --field body:text:0-5000`;

const POLICIES: Record<string, Exclude<Policy, "account">> = { owned: "owned", "read-only": "readOnly", private: "private" };

runCli(async () => {
  const { values, positionals } = parseCliArgs({
    owned: { type: "boolean" },
    "read-only": { type: "boolean" },
    private: { type: "boolean" },
    field: { type: "string", multiple: true },
  });
  if (values.help) return void console.log(HELP);
  let name = positionals[0];
  let policy = Object.keys(POLICIES).filter((flag) => values[flag as keyof typeof values]);
  let fields = values.field ?? [];
  if (positionals.length > 1) throw new UserError(`Expected one collection name, got ${positionals.length}. See --help.`);
  if (policy.length > 1) throw new UserError(`Choose one policy, not ${policy.map((p) => `--${p}`).join(" and ")}.`);

  if (!name) ({ name, policy, fields } = await ask());
  let declaration;
  try {
    declaration = newDeclaration(name, POLICIES[policy[0] ?? "owned"]!, fields, COLLECTIONS);
  } catch (error) {
    if (error instanceof FieldSpecError) throw new UserError(error.message);
    throw error;
  }

  await insertDeclaration(name, declaration);
  console.log(`✔ Declared "${name}" in ${path.relative(projectPaths.root, DECLARATIONS_FILE)}.`);
  console.log("• Writing its migration (a throwaway engine applies the existing ones first) ...");
  const declarations = { ...COLLECTIONS, [name]: declaration };
  // One compiler for both engines: the second compile re-checks only the new migration.
  const compiler = createIncrementalCompiler();
  const { file, changes } = await writeMigration(`create_${name}`, { declarations, compiler });
  if (file) {
    console.log(`✔ Wrote ${path.relative(projectPaths.root, file)}:`);
    for (const line of describeChanges(changes)) console.log(`  - ${line}`);
  }
  console.log("• Regenerating the SDK's types ...");
  const { written } = await runTypegen({ declarations, compiler });
  for (const generated of written) console.log(`✔ wrote packages/sdk/src/generated/${generated}`);
  console.log("• Rebuilding the SDK package (packages/sdk/dist) ...");
  await buildSdkPackage();
  console.log("✔ pocketbase-ts-starter-sdk now has the new collection.");

  console.log(`\nNext steps:`);
  console.log(`  • Use it:   client.collection("${name}").create({ ... })   (typed from the generated schema)`);
  console.log(`  • Check it: npm run audit   (probes ${name} as a guest, its owner and another user)`);
  console.log(`  • npm test, then commit the declaration, the migration and packages/sdk/src/generated/ together.`);
});

/** The interactive form: name, policy, then one field per line until an empty line. */
async function ask(): Promise<{ name: string; policy: string[]; fields: string[] }> {
  // Lines are read from an iterator, not rl.question(): answers typed (or piped) ahead are kept.
  const rl = createInterface({ input: process.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const question = async (prompt: string) => {
    process.stdout.write(prompt);
    const next = await lines.next();
    if (!next.done) process.stdout.write(process.stdin.isTTY ? "" : `${next.value}\n`);
    return next.done ? "" : next.value;
  };
  try {
    const name = (await question("Collection name (lowercase, e.g. notes): ")).trim();
    if (!name) throw new UserError("No name given; nothing was changed.");
    const answer = (await question("Policy: owned, read-only or private [owned]: ")).trim() || "owned";
    if (!POLICIES[answer]) throw new UserError(`Unknown policy "${answer}"; one of owned, read-only, private.`);
    console.log(
      `Fields, one per line as name:kind[:options] (empty line to finish). Kinds:\n${Object.values(FIELD_KINDS)
        .map((l) => `  ${l}`)
        .join("\n")}`,
    );
    const fields: string[] = [];
    for (;;) {
      const line = (await question(`field ${fields.length + 1}: `)).trim();
      if (!line) break;
      fields.push(line);
    }
    return { name, policy: [answer], fields };
  } finally {
    rl.close();
  }
}
