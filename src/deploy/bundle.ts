import { createHash } from "node:crypto";
import { chmod, copyFile, cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { POCKETBASE_VERSION, projectPaths } from "../paths.js";
import { prepareEngine } from "../engine/index.js";
import { compileSchemaAndHooks } from "../engine/compile.js";
import { buildPublicAssets } from "../engine/publicAssets.js";
import { EngineError } from "../engine/errors.js";
import { consoleLogger, type Logger } from "../engine/log.js";
import { obtainEngineFor, type TargetEngine } from "./targetEngine.js";
import { hostTarget, targetLabel, type BundleTarget } from "./target.js";
import { envExample } from "./envExample.js";

/** The POSIX start script every bundle ships (deploy/bundle/start in the repository). */
export const START_SCRIPT = path.join(projectPaths.root, "deploy", "bundle", "start");
/** Written into every bundle; its presence is what marks a folder as a bundle that may be replaced. */
export const MANIFEST = "bundle.json";
/** What a bundle run in place accumulates, carried over when it is rebuilt. */
const KEPT_ON_REBUILD = ["pb_data", ".env"];

export interface BundleOptions {
  outDir: string;
  /** Default: this machine. */
  target?: BundleTarget;
  env?: NodeJS.ProcessEnv;
  log?: Logger;
  /** Ways to obtain an engine that is not cached yet (default: download, then Go). */
  methods?: Array<"download" | "go">;
}

export interface BundleManifest {
  app: string;
  pocketbase: string;
  target: string;
  engineSource: TargetEngine["source"];
  engineSha256: string;
  commit: string | null;
}

export interface Bundle {
  dir: string;
  manifest: BundleManifest;
}

/**
 * Writes a self-contained folder that serves the app with no Node on the machine: the engine for the
 * target, the compiled migrations and hooks, the public files, the start script and an .env.example.
 * Built beside the destination and swapped in whole; a previous bundle's pb_data/ and .env are kept.
 */
export async function buildBundle(options: BundleOptions): Promise<Bundle> {
  const log = options.log ?? consoleLogger;
  const outDir = path.resolve(options.outDir);
  await assertReplaceable(outDir);
  const target = options.target ?? hostTarget();
  const env = options.env ?? process.env;

  // This machine's engine generates the types.d.ts the hooks are type-checked against.
  await prepareEngine({ compile: false, env, log });
  const engine = await obtainEngineFor({ target, env, log, methods: options.methods });

  const staging = `${outDir}.staging-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    log("Compiling migrations and hooks ...");
    // Into the project's own build folder (a no-op when nothing changed), then copied: the bundle gets
    // the compiled files and nothing of the build cache.
    await compileSchemaAndHooks();
    for (const dir of [projectPaths.migrationsBuild, projectPaths.hooksBuild]) {
      await cp(dir, path.join(staging, path.basename(dir)), { recursive: true });
    }
    await buildPublicAssets(path.join(staging, "pb_public"));
    await copyFile(engine.binary, path.join(staging, "pocketbase"));
    await chmod(path.join(staging, "pocketbase"), 0o755);
    await copyFile(START_SCRIPT, path.join(staging, "start"));
    await chmod(path.join(staging, "start"), 0o755);
    await writeFile(path.join(staging, ".env.example"), envExample());
    const manifest: BundleManifest = {
      app: "pocketbase-ts-starter",
      pocketbase: engine.version || POCKETBASE_VERSION,
      target: targetLabel(target),
      engineSource: engine.source,
      engineSha256: createHash("sha256")
        .update(await readFile(engine.binary))
        .digest("hex"),
      commit: await gitCommit(),
    };
    await writeFile(path.join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    await swapIn(staging, outDir);
    return { dir: outDir, manifest };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Refuses destinations whose contents a rebuild would destroy: the project itself, or a folder that is no bundle. */
async function assertReplaceable(outDir: string): Promise<void> {
  const relative = path.relative(outDir, projectPaths.root);
  if (relative === "" || !relative.startsWith("..")) {
    throw new EngineError(`--out ${outDir} contains the project itself; choose a folder of its own, e.g. ./bundle.`);
  }
  const info = await stat(outDir).catch(() => null);
  if (!info) return;
  if (!info.isDirectory()) throw new EngineError(`--out ${outDir} exists and is not a folder.`);
  const entries = await readdir(outDir);
  if (entries.length > 0 && !entries.includes(MANIFEST)) {
    throw new EngineError(
      `--out ${outDir} is not empty and holds no ${MANIFEST}: it is not a bundle, so it is left alone.`,
      "Choose another --out.",
    );
  }
}

/** Replaces `outDir` with `staging`, moving a previous bundle's data and .env into the new one first. */
async function swapIn(staging: string, outDir: string): Promise<void> {
  const previous = await stat(outDir).catch(() => null);
  if (!previous) return rename(staging, outDir);
  for (const name of KEPT_ON_REBUILD) {
    const from = path.join(outDir, name);
    if (await stat(from).catch(() => null)) await rename(from, path.join(staging, name));
  }
  const old = `${outDir}.old-${process.pid}`;
  await rename(outDir, old);
  await rename(staging, outDir);
  await rm(old, { recursive: true, force: true });
}

async function gitCommit(): Promise<string | null> {
  const result = await execa("git", ["rev-parse", "HEAD"], { cwd: projectPaths.root, reject: false }).catch(() => null);
  return result?.exitCode === 0 ? result.stdout.trim() : null;
}
