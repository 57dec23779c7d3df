/// <reference path="../.engine/types.d.ts" />
/// <reference path="./jsvm-globals.d.ts" />
// Settings the environment decides (lib/settings.ts: the rate limiter from PB_RATE_LIMIT*) are applied at
// every start and again whenever settings are saved: on a fresh database the migrations run after the
// bootstrap and write their own defaults, and a dashboard edit must not silently undo the deployment's
// configuration. Nothing is saved when the settings already hold those values.

onBootstrap((e) => {
  e.next();
  const { applyEnvironmentSettings } = require(`${__hooks}/lib/settingsSync.js`) as typeof import("./lib/settingsSync");
  applyEnvironmentSettings(e.app);
});

onSettingsReload((e) => {
  e.next();
  const { applyEnvironmentSettings } = require(`${__hooks}/lib/settingsSync.js`) as typeof import("./lib/settingsSync");
  applyEnvironmentSettings(e.app);
});
