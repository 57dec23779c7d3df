/// <reference path="../.engine/types.d.ts" />
// App settings: name, batch API, and the rate limiter's starting rules. Every value is written out here
// (a migration applies the same thing everywhere). Deployments tune the limits with PB_RATE_LIMIT*
// variables, applied at every start by pb_hooks/settings.pb.ts from the defaults in pb_hooks/lib/settings.ts.

migrate((app) => {
  const settings = app.settings();
  settings.meta.appName = "pocketbase-ts-starter";
  settings.batch.enabled = true;
  settings.batch.maxRequests = 100;
  settings.batch.timeout = 10;
  settings.batch.maxBodySize = 16 * 1024 * 1024;
  unmarshal(
    {
      rateLimits: {
        enabled: true,
        rules: [
          { label: "*:auth", audience: "", maxRequests: 10, duration: 60 },
          { label: "*:requestOTP", audience: "", maxRequests: 10, duration: 60 },
          { label: "*:requestPasswordReset", audience: "", maxRequests: 10, duration: 60 },
          { label: "*:requestVerification", audience: "", maxRequests: 10, duration: 60 },
          { label: "*:requestEmailChange", audience: "", maxRequests: 10, duration: 60 },
          { label: "users:create", audience: "", maxRequests: 10, duration: 60 },
          { label: "/api/batch", audience: "", maxRequests: 20, duration: 10 },
          { label: "/api/", audience: "", maxRequests: 600, duration: 10 },
        ],
      },
    },
    settings,
  );
  app.save(settings);
});
