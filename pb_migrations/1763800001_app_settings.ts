/// <reference path="../.engine/types.d.ts" />
/// <reference path="../pb_hooks/jsvm-globals.d.ts" />
// App settings: name, batch API, rate limiter. Rate limits can be tuned per deployment through
// environment variables (see pb_hooks/settings.pb.ts), the defaults live in pb_hooks/lib/schema.ts.

migrate((app) => {
  const { APP_NAME, BATCH, rateLimitEnv, rateLimitSettings } = require(`${__hooks}/lib/schema.js`) as typeof import("../pb_hooks/lib/schema");
  const settings = app.settings();
  settings.meta.appName = APP_NAME;
  settings.batch.enabled = true;
  settings.batch.maxRequests = BATCH.maxRequests;
  settings.batch.timeout = BATCH.timeout;
  settings.batch.maxBodySize = BATCH.maxBodySize;
  unmarshal({ rateLimits: rateLimitSettings(rateLimitEnv((name) => $os.getenv(name)) ?? {}) }, settings);
  app.save(settings);
});
