// README "Make it yours", run as written in a temporary copy of the project: one command adds an owned
// collection (declaration, migration, types), and then everything a developer relies on holds for it
// without editing anything else: the migration and type checks, the auditor, and the typed SDK against a
// real engine (including the relation guard: no linking to another user's records).
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEphemeralEngine, type EphemeralEngine } from "../src/engine/index.js";
import { COLLECTIONS } from "../pb_hooks/lib/collections.js";
import { projectRoot } from "../src/paths.js";
import { copyProject, type ProjectCopy } from "./support/projectCopy.js";

/** The guide's collection, and the test's own second one: renamed if the project already declares them. */
const NOTES = unusedName("notes");
const BOOKMARKS = unusedName("bookmarks");

function unusedName(name: string): string {
  let candidate = name;
  for (let n = 2; candidate in COLLECTIONS; n++) candidate = `${name}${n}`;
  return candidate;
}

let copy: ProjectCopy;
let engine: EphemeralEngine | undefined;

beforeAll(async () => {
  copy = await copyProject();
}, 60_000);
afterAll(async () => {
  await engine?.dispose();
  await copy.dispose();
});

/** The README's "Make it yours" command block, one command per line. */
async function guideCommands(): Promise<string[]> {
  const readme = await readFile(path.join(projectRoot, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("\n## Make it yours\n"));
  const block = /```sh\n([\s\S]*?)\n```/.exec(section);
  expect(block, 'README "## Make it yours" has a ```sh block').not.toBeNull();
  return block![1]!
    .split("\n")
    .filter((line) => line.trim() && !line.trim().startsWith("#"))
    .map((line) => line.replace(/\bnotes\b/g, NOTES));
}

describe("README: Make it yours", () => {
  it("the guide's commands add a locked-down, typed collection in a copy of the project", async () => {
    const [create, audit, ...rest] = await guideCommands();
    expect(rest).toEqual([]);

    const created = await copy.run(create!);
    expect(created.exitCode, created.all).toBe(0);
    expect(created.stdout).toContain(`✔ Declared "${NOTES}" in pb_hooks/lib/collections.ts.`);
    expect(created.stdout).toMatch(new RegExp(`✔ Wrote pb_migrations/\\d+_create_${NOTES}\\.ts:`));
    expect(created.stdout).toContain(`✔ wrote packages/sdk/src/generated/${NOTES}.ts`);
    expect(created.stdout).toContain("✔ pocketbase-ts-starter-sdk now has the new collection.");
    expect(created.stdout).toContain("Next steps:");

    // The migration holds its values: no require of the declarations.
    const migration = (await readdir(path.join(copy.dir, "pb_migrations"))).find((f) => f.endsWith(`_create_${NOTES}.ts`))!;
    const source = await readFile(path.join(copy.dir, "pb_migrations", migration), "utf8");
    expect(source).not.toMatch(/require\(/);
    expect(source).toContain("max: 120");

    for (const check of ["npm run typegen -- --check", "npm run migration -- --check"]) {
      const result = await copy.run(check);
      expect(result.exitCode, `${check}\n${result.all}`).toBe(0);
    }

    const audited = await copy.run(audit!);
    expect(audited.exitCode, audited.all).toBe(0);
    expect(audited.stdout).toMatch(new RegExp(`^${NOTES} +other +view +404 +404 +✓$`, "m"));
    expect(audited.stdout).toMatch(new RegExp(`^${NOTES} +owner +change owner +403 +403 +✓$`, "m"));
    expect(audited.stdout).toMatch(/✔ \d+ access checks as expected; no side channel leaked\./);
  }, 240_000);

  it("the new collection is typed in the SDK, and linking it to another user's records is refused like a missing id", async () => {
    // A relation to another owned collection: the hooks must refuse links to records the writer may not see.
    const added = await copy.run(`npm run new:collection -- ${BOOKMARKS} --owned --field label:text:1-50 --field note!:relation:${NOTES}`);
    expect(added.exitCode, added.all).toBe(0);
    const built = await copy.run("npm run build:pb");
    expect(built.exitCode, built.all).toBe(0);
    engine = await startEphemeralEngine({
      migrationsDir: path.join(copy.dir, ".build", "pb_migrations"),
      hooksDir: path.join(copy.dir, ".build", "pb_hooks"),
    });

    const app = path.join(copy.dir, "app.ts");
    await writeFile(
      app,
      `import { createClient, StarterError } from "pocketbase-ts-starter-sdk";
const url = process.argv[2]!;
const signUp = async (label: string) => {
  const client = createClient({ url });
  await client.auth.register({ email: label + "-" + Date.now() + "@example.com", password: "correct-horse-9" });
  return client;
};
const ada = await signUp("ada");
const bob = await signUp("bob");
const note = await ada.collection("${NOTES}").create({ title: "  Groceries  ", body: "milk" });
const mark = await ada.collection("${BOOKMARKS}").create({ label: "mine", note: note.id });
const answer = async (id: string) =>
  bob.collection("${BOOKMARKS}").create({ label: "theirs", note: id }).then(
    () => "created",
    (e: StarterError) => e.status + " " + JSON.stringify(e.fields),
  );
console.log(JSON.stringify({
  title: note.title,
  bookmark: mark.note === note.id,
  adaSees: (await ada.collection("${NOTES}").list()).items.length,
  bobSees: (await bob.collection("${NOTES}").list()).items.length,
  foreign: await answer(note.id),
  madeUp: await answer("aaaaaaaaaaaaaaa"),
}));
`,
    );
    // The app imports the SDK by its package name (its built dist/, which new:collection rebuilt), and
    // the project's own type-level tests still hold with the two new collections.
    await writeFile(
      path.join(copy.dir, "tsconfig.app.json"),
      JSON.stringify({ extends: "./test/tsconfig.type-tests.json", include: ["test/**/*.test-d.ts", "app.ts"] }),
    );
    const typecheck = await copy.run("npx tsc --noEmit -p tsconfig.app.json");
    expect(typecheck.exitCode, typecheck.all).toBe(0);
    const run = await copy.run(`node --import tsx app.ts ${engine.url}`);
    expect(run.exitCode, run.all).toBe(0);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ title: "Groceries", bookmark: true, adaSees: 1, bobSees: 0 });
    expect(result.foreign).toBe(result.madeUp);
    expect(String(result.foreign)).toMatch(/^400 .*note/);
  }, 120_000);
});
