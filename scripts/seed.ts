// npm run seed [-- --demo]: ensure the reference data (and demo data) on a running server. Idempotent.
import { loadConfig } from "../src/config.js";
import { seed, type SeedCount } from "../src/admin/seed.js";
import { connectAsSuperuser, serverTargetFrom } from "../src/admin/server.js";
import { expectPositionals, parseCliArgs } from "../src/cli/args.js";
import { runCli } from "../src/cli/run.js";

const HELP = `Usage: npm run seed [-- --demo] [--url <url>] [--email <email> --password <password>]

Ensures the reference records declared in pb_hooks/lib/collections.ts (the default categories) on a
running server (start it with npm start). Safe to repeat:
existing data is left alone and a second run reports "nothing to do".

Options:
  --demo               also create demo users (credentials are printed) with a few todos each
  --url <url>          server URL (default: from PB_HTTP, e.g. http://127.0.0.1:8090)
  --email <email>      superuser email (default: PB_SUPERUSER_EMAIL)
  --password <pass>    superuser password (default: PB_SUPERUSER_PASSWORD)
  -h, --help           show this help`;

const line = (label: string, count: SeedCount) => `  ${label.padEnd(12)} created ${count.created}, already present ${count.present}`;

runCli(async () => {
  const { values, positionals } = parseCliArgs({
    demo: { type: "boolean" },
    url: { type: "string" },
    email: { type: "string" },
    password: { type: "string" },
  });
  if (values.help) return void console.log(HELP);
  expectPositionals(positionals, 0, 0, "npm run seed [-- --demo]");
  const target = serverTargetFrom(values, loadConfig());
  const pb = await connectAsSuperuser(target);

  console.log(`• Seeding ${target.url}${values.demo ? " (with demo data)" : ""} ...`);
  const report = await seed(pb, { demo: values.demo ?? false });
  console.log(line("Reference:", report.reference));
  if (report.users) console.log(line("Demo users:", report.users));
  if (report.todos) console.log(line("Demo todos:", report.todos));
  console.log(report.changed ? "✔ Seeded." : "✔ Nothing to do: everything was already in place.");
  if (report.demoAccounts.length) {
    console.log("\nDemo accounts (demo data only; sign in with POST /api/collections/users/auth-with-password):");
    for (const account of report.demoAccounts) console.log(`  ${account.email}  /  ${account.password}`);
  }
  if (!values.demo) console.log("\nNext: npm run seed -- --demo  adds demo users and todos.");
});
