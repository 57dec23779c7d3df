import { runEngineCli, EngineError, type EngineDirs } from "../engine/index.js";

/** What the project's engine-side commands (pb_hooks/admin-commands.pb.ts) report. */
export type StarterCommandResult = Record<string, unknown> & { action?: string; error?: string };

const RESULT_LINE = /STARTER_RESULT (\{.*\})\s*$/m;

/**
 * Runs one of the project's engine-side CLI commands (`starter-*`) on a data dir and returns its
 * parsed result line. Secrets go in `env`, never in argv. An `{"error": ...}` result, or no result
 * line at all (the hook file was not loaded), becomes an EngineError with a plain message.
 */
export async function runStarterCommand(
  binary: string,
  command: string,
  args: string[],
  dirs: EngineDirs,
  env: Record<string, string> = {},
): Promise<StarterCommandResult> {
  const notLoaded = () =>
    new EngineError(
      `The engine does not know "${command}": pb_hooks/admin-commands.pb.ts was not loaded.`,
      "Recompile the hooks with `npm run build:pb`, then try again.",
    );
  let output: { stdout: string; stderr: string };
  try {
    output = await runEngineCli(binary, [command, ...args], dirs, { env: { ...process.env, ...env }, timeoutMs: 10 * 60_000 });
  } catch (error) {
    if (error instanceof EngineError && /unknown command/.test(error.message)) throw notLoaded();
    throw error;
  }
  const match = RESULT_LINE.exec(output.stdout) ?? RESULT_LINE.exec(output.stderr);
  if (!match?.[1]) throw notLoaded();
  const result = JSON.parse(match[1]) as StarterCommandResult;
  if (typeof result.error === "string") throw new EngineError(`${command}: ${result.error}`);
  return result;
}
