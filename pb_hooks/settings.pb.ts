/// <reference path="../.engine/types.d.ts" />
/// <reference path="./jsvm-globals.d.ts" />
// Rate limits can be tuned per deployment: when any PB_RATE_LIMIT* variable is set, the limiter
// settings are rebuilt from the defaults in lib/schema.ts plus those variables, at every start.

onBootstrap((e) => {
  e.next();
  const { rateLimitEnv, rateLimitSettings } = require(`${__hooks}/lib/schema.js`) as typeof import("./lib/schema");
  const env = rateLimitEnv((name) => $os.getenv(name));
  if (!env) return;
  const settings = e.app.settings();
  unmarshal({ rateLimits: rateLimitSettings(env) }, settings);
  e.app.save(settings);
});
