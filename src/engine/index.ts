import { provisionEngine, type ProvisionOptions, type ProvisionedEngine } from "./provision.js";
import { ensureEngineTypes } from "./typesFile.js";
import { compileSchemaAndHooks } from "./compile.js";
import { buildPublicAssets } from "./publicAssets.js";

export { provisionEngine, type ProvisionedEngine, type ProvisionOptions } from "./provision.js";
export { isHealthy, serveEngine, type RunningEngine, type ServeOptions } from "./serve.js";
export { runEngineCli, engineDirArgs, type EngineDirs } from "./cli.js";
export { compileSchemaAndHooks } from "./compile.js";
export { createIncrementalCompiler, type IncrementalCompiler } from "./incrementalCompile.js";
export { ensureEngineTypes } from "./typesFile.js";
export { buildPublicAssets } from "./publicAssets.js";
export { EngineError, PortInUseError } from "./errors.js";
export { consoleLogger, silentLogger, type Logger } from "./log.js";
export { freePort } from "./freePort.js";
export { startEphemeralEngine, withEphemeralEngine, type EphemeralEngine, type EphemeralOptions } from "./ephemeral.js";

/**
 * Everything needed before the engine can serve this project: the binary, its types.d.ts, the
 * migrations and hooks compiled from TypeScript, and the public folder (landing page + /docs).
 * What `npm start`, `npm run dev` and the tests call first.
 */
export async function prepareEngine(options: ProvisionOptions & { compile?: boolean } = {}): Promise<ProvisionedEngine> {
  const engine = await provisionEngine(options);
  await ensureEngineTypes(engine.binary, engine.version);
  if (options.compile !== false) {
    await compileSchemaAndHooks();
    await buildPublicAssets();
  }
  return engine;
}
