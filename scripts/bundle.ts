// npm run bundle: a self-contained folder that serves the app with no Node on the machine.
import path from "node:path";
import { buildBundle } from "../src/deploy/bundle.js";
import { BUNDLE_TARGETS, parseTarget, targetLabel } from "../src/deploy/target.js";
import { readEnv } from "../src/config.js";
import { consoleLogger } from "../src/engine/index.js";
import { expectPositionals, parseCliArgs } from "../src/cli/args.js";
import { runCli } from "../src/cli/run.js";

const HELP = `Usage: npm run bundle [-- --out <dir>] [--os <os>] [--arch <arch>]

Writes a self-contained folder that serves the app without Node:
  start           the entry point (POSIX shell): ./start serves, ./start --help lists its variables
  pocketbase      the engine for the target OS/arch
  pb_migrations/  pb_hooks/  pb_public/   compiled migrations, hooks and public files
  .env.example    every variable the start script and the engine read
  bundle.json     engine version, target, the binary's SHA-256, the git commit
Rebuilding into an existing bundle keeps its pb_data/ and .env.

Options:
  --out <dir>     where to write it (default: ./bundle)
  --os <os>       target OS (default: this machine's)
  --arch <arch>   target architecture (default: this machine's)
                  targets: ${BUNDLE_TARGETS.map(targetLabel).join(", ")}
  -h, --help      show this help

The engine for this machine is the project's own (see docs/ENGINE.md). For another OS/arch it is the
official release (checksum-verified), or else a Go cross-compile from the module proxy, cached in
.cache/engines/ (works offline once Go's module cache holds the modules).`;

runCli(async () => {
  const { values, positionals } = parseCliArgs({ out: { type: "string" }, os: { type: "string" }, arch: { type: "string" } });
  if (values.help) return void console.log(HELP);
  expectPositionals(positionals, 0, 0, "npm run bundle [-- --out <dir>] [--os <os>] [--arch <arch>]");
  const target = parseTarget(values.os, values.arch);
  const outDir = path.resolve(values.out ?? "bundle");

  console.log(`• Bundling for ${targetLabel(target)} into ${outDir} ...`);
  const bundle = await buildBundle({ outDir, target, env: readEnv(), log: consoleLogger });
  const relative = path.relative(process.cwd(), bundle.dir);
  const shown = relative && !relative.startsWith("..") ? relative : bundle.dir;
  console.log(
    `✔ Bundle written: ${shown} (PocketBase ${bundle.manifest.pocketbase} for ${bundle.manifest.target}, ${bundle.manifest.engineSource})`,
  );
  console.log("");
  console.log("Next steps:");
  console.log(`  • Try it here:        PB_SUPERUSER_EMAIL=you@example.com PB_SUPERUSER_PASSWORD='a-long-password' ${shown}/start`);
  console.log(`  • Check a config:     ${shown}/start --check`);
  console.log(`  • Ship it:            copy ${shown}/ to the server (README, "Deploy": systemd, container image, Fly.io)`);
  console.log(`  • Container image:    npm run image -- --bundle ${shown}`);
});
