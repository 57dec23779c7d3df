// npm start: obtain the engine, compile migrations and hooks, apply migrations, and serve in the foreground.
import { serveEngine } from "../src/engine/index.js";
import { prepareEngineFromConfig, serveOptionsFromConfig } from "../src/cli/engineFromConfig.js";
import { loadConfig, readEnv } from "../src/config.js";
import { runCli } from "../src/cli/run.js";

const HELP = `Usage: npm start

Starts PocketBase with this project's migrations and hooks, in the foreground (Ctrl-C stops it).

Environment (or .env): PB_HTTP (127.0.0.1:8090), PB_DATA_DIR (./pb_data), PB_ORIGINS (CORS, comma-separated),
PB_SUPERUSER_EMAIL + PB_SUPERUSER_PASSWORD (create the first superuser), POCKETBASE_BIN (use this engine binary),
PB_RATE_LIMITS=off and PB_RATE_LIMIT_* (tune the rate limiter, see README).`;

runCli(async () => {
  if (process.argv.includes("--help")) return void console.log(HELP);
  const env = readEnv();
  const config = loadConfig(env);
  const log = (line: string) => console.log(line);

  log("• Preparing the engine ...");
  const engine = await prepareEngineFromConfig(config, log, env);
  log(`• PocketBase ${engine.version} (${engine.source}); migrations and hooks compiled.`);

  log(`• Starting the server on ${config.http} with data in ${config.dataDir} ...`);
  const server = await serveEngine(serveOptionsFromConfig(engine.binary, config, env));

  log("");
  log(`✔ Ready.`);
  log(`  REST API:   ${server.url}/api/`);
  log(`  Dashboard:  ${server.url}/_/`);
  log(`  Health:     ${server.url}/api/health`);
  log("");
  log("Next steps:");
  if (config.superuser) log(`  • Open the dashboard and sign in as ${config.superuser.email}: ${server.url}/_/`);
  else log("  • Create (or reset) a superuser:  npm run superuser -- you@example.com 'a-long-password'");
  log("  • Seed demo data:      npm run seed -- --demo");
  log("  • Press Ctrl-C to stop.");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`\n• ${signal}: stopping the server ...`);
    await server.stop();
    log("✔ Stopped cleanly.");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  await server.process;
  if (!stopping) {
    console.error("✖ The engine exited unexpectedly; see its output above.");
    return 1;
  }
});
