import { readFile, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { execa } from "execa";
import { projectPaths } from "../paths.js";
import { EngineError } from "./errors.js";

const require = createRequire(import.meta.url);

/** Command line of the TypeScript compiler for the JSVM project (tsconfig.pb.json). */
export function tscCommand(extraArgs: string[] = []): [string, string[]] {
  return [process.execPath, [require.resolve("typescript/bin/tsc"), "-p", projectPaths.tsconfigPb, ...extraArgs]];
}

/**
 * Compiles pb_migrations/*.ts and pb_hooks/**\/*.ts into .build/, from scratch, so a deleted source can
 * never leave a stale migration or hook behind. Fails with the compiler's messages on any type error.
 */
export async function compileSchemaAndHooks(): Promise<void> {
  await rm(projectPaths.migrationsBuild, { recursive: true, force: true });
  await rm(projectPaths.hooksBuild, { recursive: true, force: true });
  const [command, args] = tscCommand(["--pretty"]);
  const result = await execa(command, args, { cwd: projectPaths.root, reject: false, all: true });
  if (result.exitCode !== 0) {
    throw new EngineError(`TypeScript errors in pb_migrations/ or pb_hooks/:\n${result.all ?? ""}`.trimEnd());
  }
  await assertEntryFilesAreScripts();
}

/**
 * The JSVM runs migrations and *.pb.js files as plain scripts. A top-level import/export makes tsc emit
 * an `exports` preamble that would crash there, so refuse it here with a message that says what to do.
 */
export async function assertEntryFilesAreScripts(): Promise<void> {
  const entries = [
    ...(await listFiles(projectPaths.migrationsBuild, (name) => name.endsWith(".js"))),
    ...(await listFiles(projectPaths.hooksBuild, (name) => name.endsWith(".pb.js"))),
  ];
  for (const file of entries) {
    const code = await readFile(file, "utf8");
    if (/^\s*Object\.defineProperty\(exports, "__esModule"/m.test(code)) {
      const source = path.relative(projectPaths.build, file).replace(/\.js$/, ".ts");
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
