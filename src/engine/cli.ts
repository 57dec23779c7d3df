import { execa } from "execa";
import { projectPaths } from "../paths.js";
import { EngineError } from "./errors.js";

/** The folders every engine command needs. Always passed explicitly: see docs/ENGINE.md for why. */
export interface EngineDirs {
  dataDir: string;
  migrationsDir?: string;
  hooksDir?: string;
  publicDir?: string;
}

/** Flags that point the engine at our folders and switch off its development conveniences. */
export function engineDirArgs(dirs: EngineDirs): string[] {
  return [
    `--dir=${dirs.dataDir}`,
    `--migrationsDir=${dirs.migrationsDir ?? projectPaths.migrationsBuild}`,
    `--hooksDir=${dirs.hooksDir ?? projectPaths.hooksBuild}`,
    `--publicDir=${dirs.publicDir ?? projectPaths.publicDir}`,
    // Never silently run without a broken hook, and never write migration files on the side.
    "--hooksWatch=false",
    "--automigrate=false",
    // A binary under the OS temp dir is taken for `go run`, which turns dev mode on; keep it off.
    "--dev=false",
  ];
}

/** Turns the engine's "Error: ..." output into one readable line. */
export function engineErrorLine(output: string): string | null {
  const line = output.split("\n").find((l) => /^(Error:|panic:)/.test(l.trim()));
  return line ? line.trim() : null;
}

/**
 * Runs a one-shot engine command (superuser, migrate, ...). The engine exits 0 on most errors, so
 * success is judged by its output: any "Error:" line, or a non-zero exit, becomes an EngineError.
 */
export async function runEngineCli(
  binary: string,
  args: string[],
  dirs: EngineDirs,
  options: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ stdout: string; stderr: string }> {
  const result = await execa(binary, [...args, ...engineDirArgs(dirs)], {
    reject: false,
    input: options.input ?? "",
    env: options.env,
    timeout: options.timeoutMs ?? 60_000,
  });
  const problem = engineErrorLine(`${result.stderr}\n${result.stdout}`);
  if (problem || result.exitCode !== 0) {
    const detail = problem ?? (result.stderr.trim() || `exit code ${result.exitCode}`);
    throw new EngineError(`pocketbase ${args[0] ?? ""} failed: ${detail}`);
  }
  return { stdout: result.stdout, stderr: result.stderr };
}
