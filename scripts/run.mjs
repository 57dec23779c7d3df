// Runs scripts/<name>.ts without compiling TypeScript on every start: the Node tooling (scripts/, src/ and
// the pb_hooks/lib/ modules it shares with the engine) is bundled with esbuild into .build/node/, and
// bundled again only when one of its sources changed (same size and modification time: not rebuilt). So
// `npm start` with nothing changed loads neither tsx, nor TypeScript, nor esbuild.
//
//   node scripts/run.mjs <script> [args...]      e.g. node scripts/run.mjs start --help
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const outDir = path.join(root, ".build", "node");
/** What the bundles are made from; a change to any of these files makes a new bundle. */
const SOURCES = ["scripts", "src", "pb_hooks/lib"];
const FILES = ["package.json", "package-lock.json", "scripts/run.mjs"];

const [name, ...args] = process.argv.slice(2);
const scripts = readdirSync(path.join(root, "scripts"))
  .filter((f) => f.endsWith(".ts"))
  .map((f) => f.slice(0, -3));
if (!name || !scripts.includes(name)) {
  console.error(`Usage: node scripts/run.mjs <script> [args...]\nScripts: ${scripts.join(", ")}`);
  process.exit(name ? 1 : 0);
}

/** Size and modification time of every source file, hashed (stat only: a few milliseconds). */
function fingerprint() {
  const hash = createHash("sha256").update(`${root}\0${process.version}\0`);
  const visit = (file) => {
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const entry of readdirSync(file).sort()) if (entry !== "node_modules") visit(path.join(file, entry));
    } else if (/\.(ts|mts|mjs|json)$/.test(file)) {
      hash.update(`${path.relative(root, file)}\0${stat.size}\0${stat.mtimeMs}\n`);
    }
  };
  for (const entry of [...SOURCES, ...FILES]) visit(path.join(root, entry));
  return hash.digest("hex");
}

/** Bundles every script into a fresh folder, then swaps it in (a half-written bundle is never used). */
async function bundle(stamp) {
  const { build } = await import("esbuild");
  const staging = `${outDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  await build({
    entryPoints: scripts.map((script) => path.join(root, "scripts", `${script}.ts`)),
    outdir: staging,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outExtension: { ".js": ".mjs" },
    // Bundled CommonJS dependencies call require(); give every chunk one.
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
    // Loaded only by npm run dev on a save; far too big to bundle.
    external: ["typescript"],
    logLevel: "warning",
  });
  writeFileSync(path.join(staging, "fingerprint"), stamp);
  rmSync(outDir, { recursive: true, force: true });
  try {
    renameSync(staging, outDir);
  } catch {
    // Another run swapped in its bundle first; it is of the same sources.
    rmSync(staging, { recursive: true, force: true });
  }
}

function readText(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

const stamp = fingerprint();
const entry = path.join(outDir, `${name}.mjs`);
const current = existsSync(entry) ? readText(path.join(outDir, "fingerprint")) : null;
if (current !== stamp) {
  mkdirSync(path.dirname(outDir), { recursive: true });
  await bundle(stamp);
}
process.argv = [process.argv[0], path.join(root, "scripts", `${name}.ts`), ...args];
await import(pathToFileURL(entry).href);
