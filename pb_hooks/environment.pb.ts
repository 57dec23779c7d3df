/// <reference path="../.engine/types.d.ts" />
/// <reference path="./jsvm-globals.d.ts" />
// The engine configures itself from its environment at every start (lib/settings.ts lists the variables):
// so `npm start` and the Node-free production bundle behave alike. Bad values stop the start with one
// line per variable. Settings are applied again after every settings save: on a fresh database the
// migrations run after the bootstrap and write their own defaults, and a dashboard edit must not silently
// undo the deployment's configuration. Nothing is saved when the values already hold.

onBootstrap((e) => {
  e.next();
  const environment = require(`${__hooks}/lib/environment.js`) as typeof import("./lib/environment");
  const env = environment.readEnvironment();
  if (env.problems.length > 0) {
    // Said and ended here: a thrown error would come out with a timestamp and a script location.
    console.error(`Error: Invalid configuration:\n  ${env.problems.join("\n  ")}`);
    $os.exit(1);
  }
  environment.applySettings(e.app, env);
  environment.applyUsersOptions(e.app, env);
  // Only when serving: a one-off command (npm run superuser, a backup) must do exactly what it says.
  const serving = $os.args.includes("serve");
  if (serving) environment.bootstrapSuperuser(e.app, env);
  if (serving && !environment.canSendMail(e.app)) {
    console.log(
      "Warning: no SMTP server configured (PB_SMTP_HOST): verification, password reset, email change and sign-in alert emails are not sent, and one-time passwords are off.",
    );
  }
});

onSettingsReload((e) => {
  e.next();
  const environment = require(`${__hooks}/lib/environment.js`) as typeof import("./lib/environment");
  const env = environment.readEnvironment();
  if (env.problems.length === 0) environment.applySettings(e.app, env);
});

// Without an SMTP server (neither PB_SMTP_HOST nor the dashboard's mail settings), mail is dropped quietly
// (the warning above says so once) instead of each request logging a failed attempt to run sendmail; the
// flows answer as they would with mail configured.
onMailerSend((e) => {
  const { canSendMail } = require(`${__hooks}/lib/environment.js`) as typeof import("./lib/environment");
  if (!canSendMail(e.app)) return;
  e.next();
});
