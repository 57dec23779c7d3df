// npm run backup: write a consistent backup archive of the data (through the running server, or
// offline with the engine when no server is running), by default to ./backups/<name>.zip.
import path from "node:path";
import { loadConfig } from "../src/config.js";
import { consoleLogger } from "../src/engine/index.js";
import { prepareEngineFromConfig } from "../src/cli/engineFromConfig.js";
import { backupOffline, backupViaServer, DEFAULT_BACKUP_DIR } from "../src/admin/backup.js";
import { isServerUp, serverTargetFrom } from "../src/admin/server.js";
import { expectPositionals, parseCliArgs } from "../src/cli/args.js";
import { runCli } from "../src/cli/run.js";

const HELP = `Usage: npm run backup [-- --name <name>] [--out <file>]

Writes a backup archive (zip of the data dir: data.db, auxiliary.db, uploaded files) using the engine's
own backup facility, so the snapshot is consistent.
  • Server running at PB_HTTP: the server makes the backup (superuser credentials needed) and it is
    downloaded. The server also keeps a copy, listed in Dashboard > Settings > Backups.
  • No server running: the engine backs up PB_DATA_DIR directly (no credentials needed).
    Do not run a server on that data dir under another address meanwhile.

Options:
  --name <name>        archive name, a-z 0-9 _ - (default: backup_<UTC timestamp>.zip)
  --out <file>         where to write it (default: ${path.relative(process.cwd(), DEFAULT_BACKUP_DIR) || "."}/<name>)
  --url <url>          server URL (default: from PB_HTTP)
  --email <email>      superuser email (default: PB_SUPERUSER_EMAIL)
  --password <pass>    superuser password (default: PB_SUPERUSER_PASSWORD)
  --data-dir <dir>     data dir for the offline backup (default: PB_DATA_DIR, else ./pb_data)
  -h, --help           show this help

Restore with: npm run restore -- <file>`;

runCli(async () => {
  const { values, positionals } = parseCliArgs({
    name: { type: "string" },
    out: { type: "string" },
    url: { type: "string" },
    email: { type: "string" },
    password: { type: "string" },
    "data-dir": { type: "string" },
  });
  if (values.help) return void console.log(HELP);
  expectPositionals(positionals, 0, 0, "npm run backup [-- --name <name>]");
  const config = loadConfig();
  const target = serverTargetFrom(values, config);
  const options = { name: values.name, outFile: values.out && path.resolve(values.out) };

  let result;
  if (await isServerUp(target.url)) {
    console.log(`• The server at ${target.url} is running: it makes the backup ...`);
    result = await backupViaServer(target, options);
  } else {
    const dataDir = values["data-dir"] ? path.resolve(values["data-dir"]) : config.dataDir;
    console.log(`• No server at ${target.url}: backing up ${dataDir} with the engine directly ...`);
    const engine = await prepareEngineFromConfig(config, consoleLogger);
    result = await backupOffline(engine.binary, { dataDir }, options);
  }
  const relative = path.relative(process.cwd(), result.file);
  const shown = relative && !relative.startsWith("..") ? relative : result.file;
  console.log(`✔ Backup written: ${shown}`);
  console.log(`  Restore it with: npm run restore -- ${shown}`);
});
