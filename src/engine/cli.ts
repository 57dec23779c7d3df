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

const LOG_TIMESTAMP = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\s+/;

/**
 * The engine's reason for failing, as one readable line: an "Error: ..." or "panic: ..." line, or else
 * (v0.40 logs a failing command's error as a plain log line before exiting non-zero) the last log line,
 * without its timestamp. Null when the output holds neither.
 */
export function engineErrorLine(output: string, exitedWithError = false): string | null {
  const lines = output
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const at = lines.findIndex((l) => /^(Error:|panic:)/.test(l.replace(LOG_TIMESTAMP, "")));
  if (at >= 0) {
    // A multi-line error (one line per bad variable) continues on the lines that follow it.
    const details = lines.slice(at + 1).filter((l) => !LOG_TIMESTAMP.test(l) && !/^(goroutine|\s*at |github\.com|main\.|\/)/.test(l));
    return [lines[at]!.replace(LOG_TIMESTAMP, ""), ...details.slice(0, 20)].join(" ");
  }
  if (!exitedWithError) return null;
  const logged = lines.filter((l) => LOG_TIMESTAMP.test(l)).pop();
  return logged ? logged.replace(LOG_TIMESTAMP, "") : null;
}

/**
 * Runs a one-shot engine command (superuser, migrate, ...). Since v0.40 a failing command exits
 * non-zero; an "Error:" line in the output is also treated as failure (our own JS commands print
 * their errors instead of panicking). Either becomes an EngineError with the engine's reason.
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
  const problem = engineErrorLine(`${result.stderr}\n${result.stdout}`, result.exitCode !== 0);
  if (problem || result.exitCode !== 0) {
    const detail = problem ?? (result.stderr.trim() || `exit code ${result.exitCode}`);
    throw new EngineError(`pocketbase ${args[0] ?? ""} failed: ${detail}`);
  }
  return { stdout: result.stdout, stderr: result.stderr };
}
