// Obtains Mailpit, the mail catcher of `npm run dev`, and caches it beside the engine (.engine/mailpit/<v>/),
// the same way: one lock per version, an atomic install, a check of what was built, a checksum on every use.
//
// Mailpit ships no binary on a registry reachable here, so it is built from its Go module (the pinned
// version, whose module checksum is also pinned). The module holds the web UI's sources but not the built
// UI, so that is built first with esbuild from the npm packages locked in src/dev/mailpit-ui/.
import { createHash, randomBytes } from "node:crypto";
import { chmod, cp, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { POCKETBASE_GO_TOOLCHAIN, projectPaths, projectRoot } from "../paths.js";
import { withCacheLock } from "../engine/cache.js";
import { goVersion } from "../engine/goBuild.js";
import { EngineError } from "../engine/errors.js";
import type { Logger } from "../engine/log.js";

const MODULE = "github.com/axllent/mailpit";

interface MailpitPin {
  version: string;
  /** The Go module's h1: checksum (what go.sum would hold), checked before anything is built. */
  moduleSum: string;
}

/** The pinned Mailpit version and module checksum (package.json "mailpit"). */
export async function mailpitPin(): Promise<MailpitPin> {
  const json = JSON.parse(await readFile(path.join(projectRoot, "package.json"), "utf8")) as { mailpit: MailpitPin };
  return json.mailpit;
}

export interface MailpitOptions {
  /** Default: the project's engine cache, .engine/. */
  cacheDir?: string;
  log: Logger;
  goBinary?: string;
  /** Default: package.json's pin. */
  pin?: MailpitPin;
}

export interface ProvisionedMailpit {
  binary: string;
  version: string;
  source: "cache" | "go";
}

const sha256 = async (file: string) =>
  createHash("sha256")
    .update(await readFile(file))
    .digest("hex");

/** Where the binary of a version lives, and the file holding its SHA-256. */
export function mailpitPaths(cacheDir: string, version: string): { dir: string; binary: string; checksum: string } {
  const dir = path.join(cacheDir, "mailpit", version);
  return { dir, binary: path.join(dir, "mailpit"), checksum: path.join(dir, "mailpit.sha256") };
}

/** Whether the cached binary is there and still the file that was installed (its SHA-256 matches). */
export async function isCachedMailpitIntact(cacheDir: string, version: string): Promise<boolean> {
  const { binary, checksum } = mailpitPaths(cacheDir, version);
  try {
    const expected = (await readFile(checksum, "utf8")).trim();
    return expected.length === 64 && (await sha256(binary)) === expected;
  } catch {
    return false;
  }
}

/** Returns the pinned Mailpit, building and caching it the first time (a minute or two). */
export async function provisionMailpit(options: MailpitOptions): Promise<ProvisionedMailpit> {
  const cacheDir = options.cacheDir ?? projectPaths.engineCache;
  const pin = options.pin ?? (await mailpitPin());
  const { binary } = mailpitPaths(cacheDir, pin.version);
  if (await isCachedMailpitIntact(cacheDir, pin.version)) return { binary, version: pin.version, source: "cache" };

  return withCacheLock(path.join(cacheDir, "mailpit"), pin.version, async () => {
    // Another process may have built it while we waited for the lock.
    if (await isCachedMailpitIntact(cacheDir, pin.version)) return { binary, version: pin.version, source: "cache" as const };
    await rm(binary, { force: true }); // absent, or no longer what was installed: rebuild
    await buildMailpit(cacheDir, pin, options);
    return { binary, version: pin.version, source: "go" as const };
  });
}

async function buildMailpit(cacheDir: string, pin: MailpitPin, options: MailpitOptions): Promise<void> {
  const { log } = options;
  const go = options.goBinary ?? "go";
  if (!(await goVersion(go))) throw new EngineError("Go is not installed, so Mailpit (the dev mail catcher) cannot be built.");
  const goEnv = { GOTOOLCHAIN: POCKETBASE_GO_TOOLCHAIN, GOFLAGS: "-mod=readonly -buildvcs=false", CGO_ENABLED: "0" };
  const { dir, binary, checksum } = mailpitPaths(cacheDir, pin.version);
  const staging = path.join(dir, `.staging-${process.pid}-${randomBytes(4).toString("hex")}`);
  const started = Date.now();
  log(`Building Mailpit ${pin.version} (the dev mail catcher) from the Go module proxy; once, a minute or two ...`);
  try {
    // 1. The module's source, checked against the pinned checksum (Go also checks it against its sum database).
    const download = await execa(go, ["mod", "download", "-json", `${MODULE}@v${pin.version}`], { env: goEnv, reject: false });
    const info = JSON.parse(download.stdout || "{}") as { Dir?: string; Sum?: string; Error?: string };
    if (download.exitCode !== 0 || !info.Dir) {
      throw new EngineError(`go mod download ${MODULE}@v${pin.version} failed: ${info.Error ?? download.stderr.trim()}`);
    }
    if (info.Sum !== pin.moduleSum) {
      throw new EngineError(
        `${MODULE}@v${pin.version} has checksum ${info.Sum ?? "(none)"}, expected ${pin.moduleSum}; nothing was built.`,
      );
    }
    const src = path.join(staging, "src");
    await mkdir(staging, { recursive: true });
    await cp(info.Dir, src, { recursive: true });
    await execa("chmod", ["-R", "u+w", src]); // the module cache is read-only

    // 2. The web UI (server/ui/dist, embedded by the Go build), from the locked npm packages.
    for (const file of ["package.json", "package-lock.json"])
      await cp(path.join(projectRoot, "src/dev/mailpit-ui", file), path.join(src, file));
    await run("npm", ["ci", "--ignore-scripts", "--legacy-peer-deps", "--no-audit", "--no-fund"], src, {}, "npm ci (Mailpit's web UI)");
    await run("node", ["--input-type=module", "-e", UI_BUILD], src, {}, "building Mailpit's web UI");

    // 3. The binary, version stamped like Mailpit's releases, then checked before it is installed.
    const ldflags = `-s -w -X ${MODULE}/config.Version=v${pin.version}`;
    const staged = path.join(staging, "mailpit");
    await run(go, ["build", "-trimpath", "-ldflags", ldflags, "-o", staged, "."], src, goEnv, "go build (Mailpit)");
    await chmod(staged, 0o755);
    const reported = await execa(staged, ["version", "--no-release-check"], { reject: false, timeout: 15_000 });
    // "<path>/mailpit v1.33.1 compiled with go1.27.3 on linux/amd64"
    if (!reported.stdout.includes(` v${pin.version} compiled with `)) {
      throw new EngineError(`The built Mailpit reports "${reported.stdout.split("\n")[0] ?? ""}", expected version ${pin.version}.`);
    }
    await writeFile(checksum, `${await sha256(staged)}\n`);
    await rename(staged, binary);
    log(`Built Mailpit ${pin.version} in ${Math.round((Date.now() - started) / 1000)}s: ${binary}`);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function run(file: string, args: string[], cwd: string, env: Record<string, string>, what: string): Promise<void> {
  const result = await execa(file, args, { cwd, env, reject: false, all: true });
  if (result.exitCode !== 0) {
    const tail = (result.all ?? "").trim().split("\n").slice(-5).join(" | ");
    throw new EngineError(`${what} failed: ${tail}`);
  }
}

/**
 * Mailpit's own esbuild configuration (esbuild.config.mjs), for the inbox page only: its API-docs page
 * needs a package the registry here does not serve.
 */
const UI_BUILD = `
import * as esbuild from "esbuild";
import pluginVue from "esbuild-plugin-vue-next";
import { sassPlugin } from "esbuild-sass-plugin";
await esbuild.build({
  entryPoints: ["server/ui-src/app.js"],
  bundle: true,
  minify: true,
  define: { __VUE_OPTIONS_API__: "true", __VUE_PROD_DEVTOOLS__: "false", __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: "false" },
  outdir: "server/ui/dist/",
  plugins: [pluginVue(), sassPlugin({ silenceDeprecations: ["import"], quietDeps: true })],
  loader: { ".svg": "file", ".woff": "file", ".woff2": "file" },
  logLevel: "error",
});`;
