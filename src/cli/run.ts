import { EngineError } from "../engine/errors.js";
import { ConfigError } from "../config.js";

import { UserError } from "../errors.js";

export { UserError };

/**
 * Runs a command-line script's main function: known errors print as a plain message (plus a hint),
 * anything unexpected keeps its stack. Exit code 1 on failure.
 */
export function runCli(main: () => Promise<void | number>): void {
  main().then(
    (code) => {
      if (typeof code === "number") process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof EngineError || error instanceof ConfigError || error instanceof UserError) {
        console.error(`✖ ${error.message}`);
        if (error instanceof EngineError && error.hint) console.error(error.hint);
      } else {
        console.error(error);
      }
      process.exitCode = 1;
    },
  );
}
