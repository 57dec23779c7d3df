// npm run restore -- <file>: bring the data back from a backup archive (through the running server, or
// offline with the engine when no server is running). The current data is backed up first.
import path from "node:path";
import { loadConfig } from "../src/config.js";
import { consoleLogger } from "../src/engine/index.js";
import { prepareEngineFromConfig } from "../src/cli/engineFromConfig.js";
import { assertBackupArchive, restoreOffline, restoreViaServer } from "../src/admin/restore.js";
import { isServerUp, serverTargetFrom } from "../src/admin/server.js";
import { expectPositionals, parseCliArgs } from "../src/cli/args.js";
import { runCli } from "../src/cli/run.js";

const HELP = `Usage: npm run restore -- <file>

Replaces the data with the contents of a backup archive made by npm run backup (or downloaded from
Dashboard > Settings > Backups), using the engine's own restore. Before replacing anything it saves the
current data as pre_restore_<timestamp>.zip in the engine's backups folder (<data dir>/backups).
  • Server running at PB_HTTP: the archive is uploaded and restored by the server, which restarts in
    place on the restored data (superuser credentials needed). The command waits until it is healthy.
  • No server running: the engine restores into PB_DATA_DIR directly (no credentials needed).

Options:
  --url <url>          server URL (default: from PB_HTTP)
  --email <email>      superuser email (default: PB_SUPERUSER_EMAIL)
  --password <pass>    superuser password (default: PB_SUPERUSER_PASSWORD)
  --data-dir <dir>     data dir for the offline restore (default: PB_DATA_DIR, else ./pb_data)
  -h, --help           show this help`;

runCli(async () => {
  const { values, positionals } = parseCliArgs({
    url: { type: "string" },
    email: { type: "string" },
    password: { type: "string" },
    "data-dir": { type: "string" },
  });
  if (values.help) return void console.log(HELP);
  expectPositionals(positionals, 1, 1, "npm run restore -- <file>");
  const file = path.resolve(positionals[0]!);
  await assertBackupArchive(file);
  const config = loadConfig();
  const target = serverTargetFrom(values, config);

  let result;
  if (await isServerUp(target.url)) {
    console.log(`• The server at ${target.url} is running: uploading and restoring ${path.basename(file)} ...`);
    result = await restoreViaServer(target, file);
    console.log(`✔ Restored; the server restarted on the restored data and is healthy.`);
    console.log(`  Previous data saved on the server as ${result.safetyBackup} (Dashboard > Settings > Backups).`);
  } else {
    const dataDir = values["data-dir"] ? path.resolve(values["data-dir"]) : config.dataDir;
    console.log(`• No server at ${target.url}: restoring ${path.basename(file)} into ${dataDir} with the engine directly ...`);
    const engine = await prepareEngineFromConfig(config, consoleLogger);
    result = await restoreOffline(engine.binary, { dataDir }, file);
    console.log(`✔ Restored into ${dataDir}. Start the server with npm start.`);
    if (result.safetyBackup) console.log(`  Previous data saved as ${result.safetyBackup}`);
  }
});
