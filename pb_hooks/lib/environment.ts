// What the engine does at every start from its environment (JSVM only; see pb_hooks/environment.pb.ts):
// settings, sign-in options of the users collection, the first superuser. lib/settings.ts reads and
// checks the variables; this applies them, saving nothing that already holds.

import type { EngineEnvironment } from "./settings.js";

const { readEngineEnvironment, holds } = require(`${__hooks}/lib/settings.js`) as typeof import("./settings");

/** The engine's temporary first-run account; it is not a "real" superuser. */
const INSTALLER_EMAIL = "__pbinstaller@example.com";
/** The providers this environment manages on the users collection (others, set in the dashboard, stay). */
const MANAGED_PROVIDERS = ["google", "github", "oidc"];

export function readEnvironment(): EngineEnvironment {
  return readEngineEnvironment((name) => $os.getenv(name));
}

/** Settings the environment sets, applied unless they already hold (secrets compared directly). */
export function applySettings(app: CoreApp, env: EngineEnvironment): void {
  if (Object.keys(env.settings).length === 0) return;
  const settings = app.settings();
  const current = JSON.parse(JSON.stringify(settings)) as Record<string, Record<string, unknown>>;
  // The JSON hides secrets: read them from the settings themselves so an unchanged secret compares equal.
  if (current.smtp) current.smtp.password = settings.smtp.password;
  const backups = current.backups as { s3?: Record<string, unknown> } | undefined;
  if (backups?.s3) backups.s3.secret = settings.backups.s3.secret;
  if (holds(current, env.settings)) return;
  unmarshal(env.settings, settings);
  app.save(settings);
}

/** Verified-only sign-in, the OAuth2 providers and email OTP of the users collection, from the environment. */
export function applyUsersOptions(app: CoreApp, env: EngineEnvironment): void {
  const users = app.findCollectionByNameOrId("users");
  const kept = users.oauth2.providers.filter((p) => !MANAGED_PROVIDERS.includes(p.name));
  const wanted = [...kept.map(providerJson), ...env.users.oauth2.providers];
  const enabled = wanted.length > 0;
  const current = users.oauth2.providers.map(providerJson);
  // Also on when the dashboard set up SMTP: the codes can be delivered either way.
  const otp = env.users.otp.enabled || canSendMail(app);
  if (
    ruleText(users.authRule) === env.users.authRule &&
    users.oauth2.enabled === enabled &&
    users.otp.enabled === otp &&
    holds(current, wanted)
  ) {
    return;
  }
  unmarshal({ authRule: env.users.authRule, oauth2: { enabled, providers: wanted }, otp: { enabled: otp } }, users);
  app.save(users);
}

/**
 * A rule as the text it holds (null when unset). The JSVM hands a rule over as a wrapper object of Go's
 * *string, never equal to a JS string: compared as it was, the users collection was saved at every start.
 */
function ruleText(rule: unknown): string | null {
  return JSON.parse(JSON.stringify(rule ?? null)) as string | null;
}

/** Whether the engine can send mail: an SMTP server is set (from the environment or the dashboard). */
export function canSendMail(app: CoreApp): boolean {
  return app.settings().smtp.enabled;
}

function providerJson(provider: core.OAuth2ProviderConfig): Record<string, string | boolean> {
  const json = JSON.parse(JSON.stringify(provider)) as Record<string, string | boolean>;
  json.clientSecret = provider.clientSecret; // hidden from the JSON
  return json;
}

/**
 * Creates PB_SUPERUSER_EMAIL when no real superuser exists yet; never touches an existing one (a stale
 * environment must not reset a password). Says what it did, never the password.
 */
export function bootstrapSuperuser(app: CoreApp, env: EngineEnvironment): void {
  if (!env.superuser) return;
  const existing = app
    .findRecordsByFilter("_superusers", "email != {:installer}", "created", 0, 0, { installer: INSTALLER_EMAIL })
    .map((record) => record!.email());
  if (existing.length > 0) {
    const wanted = env.superuser.email.toLowerCase();
    if (existing.some((email) => email.toLowerCase() === wanted)) {
      console.log(
        `Superuser ${env.superuser.email} exists; leaving it alone (PB_SUPERUSER_PASSWORD is not applied; change it with npm run superuser, or ./start superuser upsert in a bundle).`,
      );
    } else {
      const shown = existing.slice(0, 5).join(", ") + (existing.length > 5 ? ", ..." : "");
      console.log(`A superuser already exists (${shown}); leaving it alone (PB_SUPERUSER_EMAIL ignored).`);
    }
    return;
  }
  const record = new Record(app.findCollectionByNameOrId("_superusers"));
  record.setEmail(env.superuser.email);
  record.setPassword(env.superuser.password);
  app.save(record);
  console.log(`Created superuser ${env.superuser.email} (from PB_SUPERUSER_EMAIL / PB_SUPERUSER_PASSWORD).`);
}
