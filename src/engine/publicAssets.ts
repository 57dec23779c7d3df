import { cp, mkdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { projectPaths } from "../paths.js";
import { EngineError } from "./errors.js";
import { syncDir } from "./syncDir.js";
import { exists } from "../files.js";

const require = createRequire(import.meta.url);

/** The files of swagger-ui-dist that /docs/index.html loads; everything else in the package stays out. */
export const SWAGGER_UI_FILES = [
  "swagger-ui.css",
  "swagger-ui-bundle.js",
  "favicon-16x16.png",
  "favicon-32x32.png",
  "LICENSE",
  "swagger-ui-bundle.js.LICENSE.txt",
] as const;

/** Folder of the installed swagger-ui-dist package, or an EngineError that says how to get it. */
export function swaggerUiDir(): string {
  try {
    return path.dirname(require.resolve("swagger-ui-dist/package.json"));
  } catch (error) {
    throw new EngineError("The swagger-ui-dist package is missing, so /docs cannot be built.", "Run `npm install`.", { cause: error });
  }
}

/**
 * Builds the folder the engine serves at / (projectPaths.publicDir): pb_public/ plus the Swagger UI
 * files /docs needs, copied from node_modules so the docs work offline and no vendored bundle lives in
 * git. Built next to the target and synced into it, so files a running engine serves are replaced
 * atomically and unchanged files are not touched at all.
 */
export async function buildPublicAssets(target: string = projectPaths.publicDir): Promise<void> {
  const source = path.join(projectPaths.root, "pb_public");
  const swagger = swaggerUiDir();
  const staging = `${target}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    if (await exists(source)) await cp(source, staging, { recursive: true });
    const docs = path.join(staging, "docs");
    await mkdir(docs, { recursive: true });
    for (const file of SWAGGER_UI_FILES) await cp(path.join(swagger, file), path.join(docs, file));
    await syncDir(staging, target);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError(`Could not build the public folder ${target}: ${(error as Error).message}`, undefined, { cause: error });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
