// npm run dev: like npm start, but recompiles pb_migrations/ and pb_hooks/ on save and restarts the engine,
// and captures schema changes made in the dashboard into pb_migrations/ as TypeScript files.
import { watch } from "node:fs";
import path from "node:path";
import { createIncrementalCompiler, EngineError, PortInUseError, serveEngine, type RunningEngine } from "../src/engine/index.js";
import { DEV_HOOKS_POOL } from "../src/engine/serve.js";
import { prepareEngineFromConfig, serveOptionsFromConfig } from "../src/cli/engineFromConfig.js";
import { captureAutomigrations } from "../src/engine/captureMigrations.js";
import { loadConfig, readEnv } from "../src/config.js";
import { projectPaths } from "../src/paths.js";
import { runCli } from "../src/cli/run.js";
import { devMail } from "../src/dev/mailCatcher.js";

const HELP = `Usage: npm run dev

Development server: same configuration as npm start, plus
  • pb_migrations/*.ts and pb_hooks/**/*.ts are recompiled on save (only what the change affects is
    re-checked) and the engine restarts; a file with a type error leaves the last good build serving;
  • collection changes made in the dashboard (/_/) are written by the engine as migrations and
    copied into pb_migrations/ as .ts files: review and commit them;
  • every email the app sends lands in a local mail catcher (Mailpit, http://127.0.0.1:8025), unless
    PB_SMTP_HOST names a real SMTP server. Links in the emails point at this server (or PB_APP_URL).`;

runCli(async () => {
  if (process.argv.includes("--help")) return void console.log(HELP);
  const env = readEnv();
  const config = loadConfig(env);
  const log = (line: string) => console.log(line);
  const [engine, mail] = await Promise.all([prepareEngineFromConfig(config, log, env), devMail(env, config.url, log)]);

  // Keeps the TypeScript program in memory: a save re-checks only what it affects.
  const compiler = createIncrementalCompiler();
  let server: RunningEngine | null = null;
  /** Starts the engine; `since` (a save's time) adds how long the rebuild took to the ready line. */
  const start = async (since?: number) => {
    try {
      server = await serveEngine({
        ...serveOptionsFromConfig(engine.binary, config, { ...env, ...mail.env }),
        // One developer: a small pool restarts a quarter of a second sooner (PB_HOOKS_POOL still wins).
        hooksPool: env.PB_HOOKS_POOL ? config.hooksPool : DEV_HOOKS_POOL,
        // Dashboard schema edits become migration files (captured below); hooks are reloaded by restarts.
        extraArgs: ["--automigrate=true"],
      });
      const took = since === undefined ? "" : `  (rebuilt and restarted in ${((performance.now() - since) / 1000).toFixed(1)} s)`;
      log(`✔ Dev server ready: API ${server.url}/api/  Dashboard ${server.url}/_/  ${mail.describe()}  (watching for changes)${took}`);
    } catch (error) {
      server = null;
      // A taken port is not fixed by saving a file: stop (and stop the mail catcher) with its one line.
      if (error instanceof PortInUseError) {
        await mail.stop();
        console.error(`✖ ${error.message}${error.hint ? `\n${error.hint}` : ""}`);
        process.exit(1);
      }
      if (!(error instanceof EngineError)) throw error;
      log(`✖ ${error.message}\n  Fix the file and save again.`);
    }
  };

  let timer: NodeJS.Timeout | undefined;
  let busy = Promise.resolve();
  const rebuild = (reason: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      busy = busy
        .then(async () => {
          const started = performance.now();
          log(`• ${reason}: recompiling ...`);
          try {
            // Compiled while the old build still serves: a broken file does not take the server down.
            if ((await compiler.compile()) === "unchanged" && server) return log("• Nothing to rebuild.");
          } catch (error) {
            if (!(error instanceof EngineError)) throw error;
            const still = server ? "The server keeps running the last good build. " : "";
            return log(`✖ ${error.message}\n  ${still}Fix the file and save again.`);
          }
          await server?.stop();
          await start(started);
        })
        .catch((error: unknown) => log(`✖ ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
    }, 300);
  };

  watch(projectPaths.migrationsSrc, { recursive: true }, (_, file) => rebuild(`pb_migrations/${file ?? ""} changed`));
  watch(projectPaths.hooksSrc, { recursive: true }, (_, file) => rebuild(`pb_hooks/${file ?? ""} changed`));
  let capturing = Promise.resolve();
  watch(projectPaths.migrationsBuild, () => {
    capturing = capturing.then(async () => {
      for (const file of await captureAutomigrations()) {
        log(`• Captured a dashboard schema change into ${path.relative(projectPaths.root, file)} — review and commit it.`);
      }
    });
  });

  await start();
  // Once the server is up, load the compiler so that the first save is as quick as the next ones.
  busy = busy.then(() => compiler.warm()).catch(() => {});
  const stop = async () => {
    clearTimeout(timer);
    await busy;
    await server?.stop();
    await mail.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  await new Promise(() => {});
});
