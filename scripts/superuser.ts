// npm run superuser -- <email> <password>: create a superuser, or set the password of an existing one.
import path from "node:path";
import { consoleLogger } from "../src/engine/index.js";
import { prepareEngineFromConfig } from "../src/cli/engineFromConfig.js";
import { loadConfig } from "../src/config.js";
import { upsertSuperuser } from "../src/admin/superuser.js";
import { PASSWORD_MAX, PASSWORD_MIN, validateSuperuserCredentials } from "../src/admin/credentials.js";
import { expectPositionals, parseCliArgs } from "../src/cli/args.js";
import { runCli, UserError } from "../src/cli/run.js";

const HELP = `Usage: npm run superuser -- <email> <password> [--data-dir <dir>]

Creates a superuser, or sets the password if a superuser with that email exists (safe to repeat).
Works whether or not the server is running: it writes straight into the data dir.

Arguments (default to PB_SUPERUSER_EMAIL / PB_SUPERUSER_PASSWORD from the environment or .env):
  <email>              a valid email address
  <password>           ${PASSWORD_MIN} to ${PASSWORD_MAX} characters (tip: quote it in the shell)

Options:
  --data-dir <dir>     data dir to write to (default: PB_DATA_DIR, else ./pb_data)
  -h, --help           show this help`;

runCli(async () => {
  const { values, positionals } = parseCliArgs({ "data-dir": { type: "string" } });
  if (values.help) return void console.log(HELP);
  expectPositionals(positionals, 0, 2, "npm run superuser -- <email> <password>");
  const config = loadConfig();
  const email = positionals[0] ?? config.superuser?.email;
  const password =
    positionals[1] ?? (positionals[0] && positionals[0] !== config.superuser?.email ? undefined : config.superuser?.password);
  if (!email || !password) {
    throw new UserError("Give an email and a password: npm run superuser -- you@example.com 'a-long-password' (see --help).");
  }
  const credentials = validateSuperuserCredentials(email, password);
  const dataDir = values["data-dir"] ? path.resolve(values["data-dir"]) : config.dataDir;

  const engine = await prepareEngineFromConfig(config, consoleLogger);
  const result = await upsertSuperuser(engine.binary, { dataDir }, credentials.email, credentials.password);
  console.log(`✔ Superuser ${result.email} ${result.action}${result.action === "updated" ? " (new password set)" : ""} in ${dataDir}.`);
  console.log(`  Sign in to the dashboard at ${config.url}/_/ (start the server with npm start).`);
});
