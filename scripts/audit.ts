// npm run audit [-- --url <url> --email <superuser> --password <pw>]: the access auditor (src/audit/).
import { auditFreshEngine, auditInstance, formatAudit, undeclaredCollections } from "../src/audit/index.js";
import { connectAsSuperuser } from "../src/admin/server.js";
import { expectPositionals, parseCliArgs } from "../src/cli/args.js";
import { runCli, UserError } from "../src/cli/run.js";
import { loadConfig } from "../src/config.js";

const HELP = `Usage: npm run audit [-- --url <url> [--email <email> --password <password>]]

Checks that every collection declared in pb_hooks/lib/collections.ts is locked down as its policy says.
Signs up two users and probes each collection as a guest, as the owner and as another user: list, view,
create, update, delete, batch, realtime, naming or changing an owner; then asks every filter, sort,
expand and fields question the schema allows and checks that one user's answers never change with another
user's data. Prints collection × actor × operation → expected vs actual, and exits 1 on any difference.

Without --url it audits a throwaway engine running the current migrations and hooks (nothing else is
touched). With --url it audits that instance, signing in as a superuser (--email/--password, default
PB_SUPERUSER_EMAIL/PB_SUPERUSER_PASSWORD); it then creates test users and records there.

Options:
  --url <url>          audit this running instance instead of a throwaway engine
  --quick              only the access table: skip the side-channel probe (a few seconds instead of ~10)
  --collection <name>  only this collection's rows of the access table (repeat for more); the
                       side-channel probe still asks about every collection
  --email <email>      superuser email for --url
  --password <pass>    superuser password for --url
  -h, --help           show this help`;

runCli(async () => {
  const { values, positionals } = parseCliArgs({
    url: { type: "string" },
    email: { type: "string" },
    password: { type: "string" },
    quick: { type: "boolean" },
    collection: { type: "string", multiple: true },
  });
  if (values.help) return void console.log(HELP);
  // Checked before any engine starts or any instance is touched.
  const undeclared = undeclaredCollections(values.collection);
  if (undeclared) throw new UserError(undeclared);
  const options = { sideChannels: !values.quick, only: values.collection };
  expectPositionals(positionals, 0, 0, "npm run audit [-- --url <url>]");
  let result;
  if (values.url) {
    const config = loadConfig();
    const email = values.email ?? config.superuser?.email;
    const password = values.password ?? config.superuser?.password;
    if (!email || !password)
      throw new UserError("--url needs superuser credentials: --email and --password (or PB_SUPERUSER_EMAIL/PASSWORD).");
    console.log(`• Auditing ${values.url} (signs up test users and writes test records there) ...`);
    const pb = await connectAsSuperuser({ url: values.url, email, password });
    result = await auditInstance({ url: values.url, superuserToken: pb.authStore.token }, options);
  } else {
    console.log("• Auditing a throwaway engine with the current migrations and hooks ...");
    result = await auditFreshEngine((line) => console.error(line), options);
  }
  console.log(formatAudit(result));
  return result.ok ? 0 : 1;
});
