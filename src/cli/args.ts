import { parseArgs, type ParseArgsConfig } from "node:util";
import { UserError } from "./run.js";

type Options = NonNullable<ParseArgsConfig["options"]>;
type WithHelp<T extends Options> = T & { help: { type: "boolean"; short: "h" } };

/**
 * Parses a script's command line strictly (unknown flags are errors, not silently ignored) and adds
 * `--help` / `-h`. Mistakes become a one-line UserError that points at --help.
 */
export function parseCliArgs<T extends Options>(options: T, argv: string[] = process.argv.slice(2)) {
  const all = { ...options, help: { type: "boolean", short: "h" } } as WithHelp<T>;
  try {
    return parseArgs({ args: argv, options: all, allowPositionals: true, strict: true });
  } catch (error) {
    const first = (error as Error).message.split("\n")[0] ?? "";
    throw new UserError(`${first.replace(/\. To specify a positional.*$/, ".")} (see --help)`);
  }
}

/** Fails with a usage line when the number of positional arguments is outside [min, max]. */
export function expectPositionals(positionals: string[], min: number, max: number, usage: string): void {
  if (positionals.length < min || positionals.length > max) {
    throw new UserError(`Expected ${min === max ? min : `${min} to ${max}`} argument(s), got ${positionals.length}. Usage: ${usage}`);
  }
}
