import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import lockfile from "proper-lockfile";
import { createRequire } from "node:module";
import path from "node:path";
import { execa } from "execa";
import { projectPaths } from "../paths.js";
import { EngineError } from "./errors.js";
import { syncDir } from "./syncDir.js";

const require = createRequire(import.meta.url);

/** Command line of the TypeScript compiler for a project (default: the JSVM one, tsconfig.pb.json). */
export function tscCommand(extraArgs: string[] = [], project: string = projectPaths.tsconfigPb): [string, string[]] {
  return [process.execPath, [require.resolve("typescript/bin/tsc"), "-p", project, ...extraArgs]];
}

/** The file in the output folder that records what the current output was compiled from. */
const STAMP = ".jsvm-inputs";

/**
 * A content hash of everything the JSVM build is made from: the sources, the compiler settings, the
 * engine's types and the compiler's version.
 */
export async function compileInputsHash(): Promise<string> {
  const hash = createHash("sha256");
  const add = async (file: string) =>
    hash
      .update(`${path.relative(projectPaths.root, file)}\0`)
      .update(await readFile(file))
      .update("\0");
  for (const file of await sourceFiles(projectPaths.migrationsSrc, false)) await add(file);
  for (const file of await sourceFiles(projectPaths.hooksSrc, true)) await add(file);
  await add(projectPaths.tsconfigPb);
  await add(projectPaths.engineTypes);
  hash.update((JSON.parse(await readFile(require.resolve("typescript/package.json"), "utf8")) as { version: string }).version);
  return hash.digest("hex");
}

async function sourceFiles(dir: string, recursive: boolean): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Compiles pb_migrations/*.ts and pb_hooks/**\/*.ts into `outDir` (.build/ by default), unless the output
 * there was compiled from exactly the current inputs (content hash). The output is written to a scratch
 * folder first and then synced, so a deleted source never leaves a stale migration or hook behind, and
 * an unchanged file is never rewritten under an engine that is starting from it. The stamp is removed
 * before and written after the sync, so a half-written build is never taken for a current one. Fails
 * with the compiler's messages on any type error.
 */
export async function compileSchemaAndHooks(
  outDir: string = projectPaths.build,
  emit: JsvmEmitter = emitWithTsc,
): Promise<"compiled" | "unchanged"> {
  const stamp = path.join(outDir, STAMP);
  const inputs = await compileInputsHash();
  if ((await readFile(stamp, "utf8").catch(() => null)) === inputs) return "unchanged";
  // Two processes compiling into the same folder at once (parallel test files, a dev server and a
  // script) take turns; the second finds the first's stamp and has nothing left to do.
  await mkdir(outDir, { recursive: true });
  const release = await lockfile.lock(outDir, {
    lockfilePath: path.join(outDir, ".compile.lock"),
    retries: { retries: 600, minTimeout: 100, maxTimeout: 100 },
    stale: 60_000,
  });
  try {
    if ((await readFile(stamp, "utf8").catch(() => null)) === inputs) return "unchanged";
    return await compileInto(outDir, stamp, inputs, emit);
  } finally {
    await release().catch(() => {});
  }
}

/**
 * Writes the JavaScript of pb_migrations/ and pb_hooks/ under `scratch` (same layout as the sources),
 * or throws an EngineError with the compiler's messages when there is a type error.
 */
export type JsvmEmitter = (scratch: string) => Promise<void>;

/** A fresh tsc process: what `npm start` and the tests use (nothing to keep between runs). */
const emitWithTsc: JsvmEmitter = async (scratch) => {
  const [command, args] = tscCommand(["--pretty", "--outDir", scratch]);
  const result = await execa(command, args, { cwd: projectPaths.root, reject: false, all: true });
  if (result.exitCode !== 0) throw new EngineError(typeErrors(result.all ?? ""));
};

/** The message for a failed compile: where the errors are, then the compiler's own report. */
export function typeErrors(report: string): string {
  return `TypeScript errors in pb_migrations/ or pb_hooks/:\n${report}`.trimEnd();
}

/** Emit into a scratch folder, then sync into `outDir`; the stamp marks a complete output only. */
async function compileInto(outDir: string, stamp: string, inputs: string, emit: JsvmEmitter): Promise<"compiled"> {
  await rm(stamp, { force: true });
  const scratch = await mkdtemp(path.join(projectPaths.root, ".build-tmp-"));
  try {
    await emit(scratch);
    await assertEntryFilesAreScripts(path.join(scratch, "pb_migrations"), path.join(scratch, "pb_hooks"));
    await syncDir(path.join(scratch, "pb_migrations"), path.join(outDir, "pb_migrations"));
    await syncDir(path.join(scratch, "pb_hooks"), path.join(outDir, "pb_hooks"));
    await writeFile(stamp, inputs);
    return "compiled";
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The JSVM runs migrations and *.pb.js files as plain scripts. A top-level import/export makes tsc emit
 * an `exports` preamble that would crash there, so refuse it here with a message that says what to do.
 */
export async function assertEntryFilesAreScripts(
  migrationsDir = projectPaths.migrationsBuild,
  hooksDir = projectPaths.hooksBuild,
): Promise<void> {
  const entries = [
    ...(await listFiles(migrationsDir, (name) => name.endsWith(".js"))),
    ...(await listFiles(hooksDir, (name) => name.endsWith(".pb.js"))),
  ];
  for (const file of entries) {
    const code = await readFile(file, "utf8");
    if (/^\s*Object\.defineProperty\(exports, "__esModule"/m.test(code)) {
      const source = path.join(path.basename(path.dirname(file)), path.basename(file)).replace(/\.js$/, ".ts");
      throw new EngineError(
        `${source} has a top-level import or export. Migrations and *.pb.ts hooks must be scripts: ` +
          "load shared helpers with require(`${__hooks}/lib/<name>.js`) inside each handler.",
      );
    }
  }
}

async function listFiles(dir: string, keep: (name: string) => boolean): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter(keep).map((name) => path.join(dir, name));
}
