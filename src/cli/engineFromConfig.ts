import type { AppConfig } from "../config.js";
import { prepareEngine, type Logger, type ProvisionedEngine, type ServeOptions } from "../engine/index.js";

/**
 * Obtains and prepares the engine for the shared configuration: every command that runs the engine
 * (npm start, dev, superuser, backup, restore) gets it this way (POCKETBASE_BIN from env or .env).
 */
export function prepareEngineFromConfig(config: AppConfig, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<ProvisionedEngine> {
  return prepareEngine({ env: { ...env, POCKETBASE_BIN: config.pocketbaseBin }, log });
}

/**
 * The serve options `npm start` and `npm run dev` share. The engine gets the merged environment
 * (.env included) because its hooks read PB_RATE_LIMIT* from it.
 */
export function serveOptionsFromConfig(binary: string, config: AppConfig, env: NodeJS.ProcessEnv): ServeOptions {
  return {
    binary,
    http: config.http,
    dataDir: config.dataDir,
    origins: config.origins,
    hooksPool: config.hooksPool,
    env,
    onOutput: (line) => console.log(`  [pocketbase] ${line}`),
  };
}
