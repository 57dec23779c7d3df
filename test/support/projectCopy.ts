// A temporary copy of the project, for tests that run the project's own commands the way a developer
// would (new:collection, migration, typegen, audit) without touching the real tree. The installed
// packages and the engine cache (.engine/) are shared through symlinks: both are large and read-only here.
import { cp, mkdir, mkdtemp, readdir, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { projectRoot } from "../../src/paths.js";

/** What is not copied: installed, built, cached or local-only (bundle, bundle-<target>: npm run bundle). */
const SKIP = new Set([
  "node_modules",
  ".engine",
  ".build",
  ".cache",
  ".git",
  "pb_data",
  "dist",
  "coverage",
  "test-results",
  "bench-results",
  "backups",
  ".env",
]);

/** The SDK package's name, as the root package.json's workspace links it into node_modules. */
const SDK_PACKAGE = "pocketbase-ts-starter-sdk";

export interface ProjectCopy {
  dir: string;
  /** Runs a shell command line in the copy (like a developer at its root). */
  run(commandLine: string, options?: { input?: string }): Promise<{ exitCode: number; stdout: string; stderr: string; all: string }>;
  dispose(): Promise<void>;
}

export async function copyProject(): Promise<ProjectCopy> {
  const dir = await mkdtemp(path.join(tmpdir(), "starter-copy-"));
  await cp(projectRoot, dir, {
    recursive: true,
    filter: (source) =>
      !SKIP.has(path.basename(source)) &&
      !path.basename(source).startsWith(".build-tmp-") &&
      !(path.dirname(source) === projectRoot && path.basename(source).startsWith("bundle")) &&
      !path.basename(source).startsWith(".readme-example-"),
  });
  // node_modules: each package linked from the real tree, except the SDK's workspace link, which must
  // point at the copy's own packages/sdk (what a new collection rebuilds).
  await mkdir(path.join(dir, "node_modules"));
  for (const entry of await readdir(path.join(projectRoot, "node_modules"))) {
    const target = entry === SDK_PACKAGE ? path.join("..", "packages", "sdk") : path.join(projectRoot, "node_modules", entry);
    await symlink(target, path.join(dir, "node_modules", entry));
  }
  await symlink(path.join(projectRoot, ".engine"), path.join(dir, ".engine"));
  return {
    dir,
    run: async (commandLine, options = {}) => {
      const result = await execa("bash", ["-c", commandLine], {
        cwd: dir,
        reject: false,
        all: true,
        input: options.input ?? "",
        env: { PB_RATE_LIMITS: "off" },
      });
      return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr, all: result.all ?? "" };
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
