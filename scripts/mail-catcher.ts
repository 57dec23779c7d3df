// npm run mail-catcher: obtain Mailpit, the dev mail catcher (built once from its Go module, cached in
// .engine/mailpit/), and with --run serve it until Ctrl-C. `npm run dev` starts it by itself.
import { provisionMailpit } from "../src/dev/mailpit.js";
import { startMailCatcher } from "../src/dev/mailCatcher.js";
import { consoleLogger } from "../src/engine/index.js";
import { runCli } from "../src/cli/run.js";

const HELP = `Usage: npm run mail-catcher [-- --run]

Obtains Mailpit, the mail catcher npm run dev starts (built once from the Go module proxy, then cached
in .engine/mailpit/ and checked by its SHA-256 on every use).
  --run   also start it: an inbox in the browser, and an SMTP server on 127.0.0.1 that keeps every email
          (send mail there with PB_SMTP_HOST=127.0.0.1 PB_SMTP_PORT=<port> PB_SMTP_TLS=off).`;

runCli(async () => {
  if (process.argv.includes("--help")) return void console.log(HELP);
  if (!process.argv.includes("--run")) {
    const mailpit = await provisionMailpit({ log: consoleLogger });
    return void console.log(`Mailpit ${mailpit.version} ready (${mailpit.source}): ${mailpit.binary}`);
  }
  const catcher = await startMailCatcher({ log: consoleLogger });
  console.log(`✔ Mail catcher: ${catcher.url}  (SMTP on 127.0.0.1:${catcher.smtpPort}; Ctrl-C stops it)`);
  const stop = () => void catcher.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  await new Promise(() => {});
});
