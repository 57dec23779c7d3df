/// <reference path="../.engine/types.d.ts" />
/// <reference path="./jsvm-globals.d.ts" />
// Engine-side CLI commands behind `npm run superuser` and the offline paths of `npm run backup` /
// `npm run restore` (src/admin/ runs them). They run inside the engine, on its data dir, without a
// server. Each prints one result line, `STARTER_RESULT {json}`, which the Node side parses (a result
// reads better than an exit status, and our own errors are reported there too).
// Secrets arrive through environment variables, never through argv (visible in `ps`).
//
// The whole file is one block: entry files share the loader's global scope, so nothing leaks out.
// Command `run` functions are plain closures in the loader runtime (unlike hook handlers, which are
// serialized), so they may call the helpers declared in this block.
{
  const RESULT_TAG = "STARTER_RESULT";
  const SUPERUSERS = "_superusers";

  const report = (result: Record<string, unknown>): void => console.log(`${RESULT_TAG} ${JSON.stringify(result)}`);
  const errorText = (error: unknown): string => String((error as { message?: unknown })?.message ?? error);
  const requireEnv = (name: string): string => {
    const value = $os.getenv(name);
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  /** Runs a command body, reporting any exception as {"error": ...} instead of a Go panic. */
  const guarded = (body: (args: string[]) => Record<string, unknown>) => (_cmd: unknown, args: string[]) => {
    try {
      report(body(args));
    } catch (error) {
      report({ error: errorText(error) });
    }
  };

  const commands = [
    new Command({
      use: "starter-superuser-upsert",
      short: "Creates or updates a superuser (STARTER_EMAIL, STARTER_PASSWORD); reports created/updated",
      run: guarded(() => {
        const email = requireEnv("STARTER_EMAIL");
        const password = requireEnv("STARTER_PASSWORD");
        let record: core.Record;
        let action: "created" | "updated";
        try {
          record = $app.findAuthRecordByEmail(SUPERUSERS, email);
          action = "updated";
        } catch {
          record = new Record($app.findCollectionByNameOrId(SUPERUSERS));
          action = "created";
        }
        record.setEmail(email);
        record.setPassword(password);
        $app.save(record);
        return { action, email };
      }),
    }),
    new Command({
      use: "starter-backup",
      short: "Writes a backup archive of the data dir into <dataDir>/backups/<name> (server stopped)",
      run: guarded((args) => {
        const name = args[0];
        if (!name) throw new Error("missing backup name");
        $app.createBackup(new Context(), name);
        return { action: "created", name };
      }),
    }),
    new Command({
      use: "starter-restore",
      short: "Replaces the data with <dataDir>/backups/<name> (server stopped), then exits",
      run: guarded((args) => {
        const name = args[0];
        if (!name) throw new Error("missing backup name");
        // The engine restarts itself (execve with the same argv) after swapping the data in, which
        // would run this command again. Stop at the restart instead: the data is in place by then.
        onTerminate((e) => {
          if (!e.isRestart) return e.next();
          console.log(`STARTER_RESULT ${JSON.stringify({ action: "restored" })}`);
          $os.exit(0);
        });
        $app.restoreBackup(new Context(), name);
        // Only reached when the engine did not restart.
        return { error: "the engine did not restart after the restore" };
      }),
    }),
  ];
  for (const command of commands) $app.rootCmd?.addCommand(command);
}
