import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

/**
 * Absolute path of the repository root, so commands work from any working directory: the nearest folder
 * up from this module with the project's package.json (this module also runs bundled, from .build/node/).
 */
export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { pocketbase?: unknown }).pocketbase) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No project package.json (with "pocketbase") above ${start}.`);
  }
}

/** Where the project keeps everything it can rebuild; all gitignored. */
export const projectPaths = {
  root: projectRoot,
  /** Provisioned engine binaries, one folder per version. Project-local on purpose: see docs/ENGINE.md. */
  engineCache: path.join(projectRoot, ".engine"),
  /** The engine's own types.d.ts for the pinned version, used to type-check migrations and hooks. */
  engineTypes: path.join(projectRoot, ".engine", "types.d.ts"),
  /** TypeScript sources of the schema and hooks. */
  migrationsSrc: path.join(projectRoot, "pb_migrations"),
  hooksSrc: path.join(projectRoot, "pb_hooks"),
  /** Their compiled JavaScript, which the engine is started with. */
  build: path.join(projectRoot, ".build"),
  migrationsBuild: path.join(projectRoot, ".build", "pb_migrations"),
  hooksBuild: path.join(projectRoot, ".build", "pb_hooks"),
  /** Served at / by the engine: pb_public/ plus the Swagger UI files /docs needs (src/engine/publicAssets.ts). */
  publicDir: path.join(projectRoot, ".build", "pb_public"),
  tsconfigPb: path.join(projectRoot, "tsconfig.pb.json"),
} as const;

interface PackageJson {
  pocketbase: { version: string; goToolchain: string };
}

const pinned = (JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8")) as PackageJson).pocketbase;

/** The one pinned engine version, read from package.json ("pocketbase.version"). */
export const POCKETBASE_VERSION: string = pinned.version;

/**
 * The Go toolchain that builds the engine from source ("pocketbase.goToolchain"): the engine's go.mod
 * may ask for a newer Go than the machine has; the go command then fetches this one from the module proxy.
 */
export const POCKETBASE_GO_TOOLCHAIN: string = pinned.goToolchain;
