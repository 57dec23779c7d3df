// App settings that hooks apply at every start, from these defaults and the environment: the rate
// limiter's rules, the batch API's limits, the app's name. Compiled to CommonJS: hook handlers load it
// with require(`${__hooks}/lib/settings.js`); Node code (tests, scripts) imports it directly.

export interface RateLimitRule {
  /** Environment variable that overrides it, as "<maxRequests>/<seconds>". */
  env: string;
  label: string;
  maxRequests: number;
  duration: number;
}

/**
 * The built-in rate limiter's rules (per client IP, fixed window). First matching label wins, so the
 * specific ones come first. PB_RATE_LIMITS=off disables the limiter altogether.
 */
export const RATE_LIMITS: readonly RateLimitRule[] = [
  // Sign-ins (password, OAuth2, OTP) and the endpoints that send mail share the tight auth limit.
  { env: "PB_RATE_LIMIT_AUTH", label: "*:auth", maxRequests: 10, duration: 60 },
  { env: "PB_RATE_LIMIT_AUTH", label: "*:requestOTP", maxRequests: 10, duration: 60 },
  { env: "PB_RATE_LIMIT_AUTH", label: "*:requestPasswordReset", maxRequests: 10, duration: 60 },
  { env: "PB_RATE_LIMIT_AUTH", label: "*:requestVerification", maxRequests: 10, duration: 60 },
  { env: "PB_RATE_LIMIT_AUTH", label: "*:requestEmailChange", maxRequests: 10, duration: 60 },
  { env: "PB_RATE_LIMIT_SIGNUP", label: "users:create", maxRequests: 10, duration: 60 },
  { env: "PB_RATE_LIMIT_BATCH", label: "/api/batch", maxRequests: 20, duration: 10 },
  { env: "PB_RATE_LIMIT_API", label: "/api/", maxRequests: 600, duration: 10 },
];

/**
 * Batch API limits. A batch is one transaction holding SQLite's only write connection, so every other
 * write waits for it: keep batches small (docs/BENCHMARKS.md times batches of 100 and 1,000). Bulk imports
 * send several batches. The timeout leaves headroom for slow disks.
 */
export const BATCH = { maxRequests: 100, timeout: 10, maxBodySize: 16 * 1024 * 1024 } as const;

export const APP_NAME = "pocketbase-ts-starter";

/** Parses "<maxRequests>/<seconds>" (e.g. "10/60"); null when malformed. */
export function parseRateLimit(value: string): { maxRequests: number; duration: number } | null {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  if (!match) return null;
  const maxRequests = Number(match[1]);
  const duration = Number(match[2]);
  return maxRequests > 0 && duration > 0 ? { maxRequests, duration } : null;
}

/** Reads the rate-limit variables through `getenv`; null when none is set (keep what is configured). */
export function rateLimitEnv(getenv: (name: string) => string): Record<string, string | undefined> | null {
  const env: Record<string, string | undefined> = {};
  for (const name of new Set(["PB_RATE_LIMITS", ...RATE_LIMITS.map((rule) => rule.env)])) env[name] = getenv(name) || undefined;
  return Object.values(env).some((value) => value !== undefined) ? env : null;
}

/** The rate limiter settings for an environment: defaults, overridden per rule by its variable. */
export function rateLimitSettings(env: Record<string, string | undefined>): {
  enabled: boolean;
  rules: Array<{ label: string; audience: string; maxRequests: number; duration: number }>;
} {
  const enabled = !/^(off|false|0|no)$/i.test((env.PB_RATE_LIMITS ?? "").trim());
  const rules = RATE_LIMITS.map((rule) => {
    const override = env[rule.env] ? parseRateLimit(env[rule.env]!) : null;
    return {
      label: rule.label,
      audience: "",
      maxRequests: override ? override.maxRequests : rule.maxRequests,
      duration: override ? override.duration : rule.duration,
    };
  });
  return { enabled, rules };
}

/** One environment variable the engine reads at start (the bundle has no Node, so the engine reads them). */
export interface EnvVariable {
  name: string;
  /** What it does, for --help, the README and error messages. */
  description: string;
  secret?: boolean;
}

/** Every variable the engine applies itself, in the order the README lists them. */
export const ENGINE_VARIABLES: readonly EnvVariable[] = [
  { name: "PB_APP_NAME", description: "the app's name in emails and the dashboard" },
  { name: "PB_APP_URL", description: "the public URL of the app, used in email links (e.g. https://app.example.com)" },
  { name: "PB_SMTP_HOST", description: "SMTP server; unset: no email is sent" },
  { name: "PB_SMTP_PORT", description: "SMTP port (default 587)" },
  { name: "PB_SMTP_USERNAME", description: "SMTP user name" },
  { name: "PB_SMTP_PASSWORD", description: "SMTP password", secret: true },
  {
    name: "PB_SMTP_TLS",
    description: "starttls (default: upgrade the connection when the server offers it), tls (implicit TLS, usually port 465), or off",
  },
  { name: "PB_MAIL_FROM_ADDRESS", description: "the sender address of every email (required with PB_SMTP_HOST)" },
  { name: "PB_MAIL_FROM_NAME", description: "the sender name (default: the app's name)" },
  {
    name: "PB_REQUIRE_VERIFIED_EMAIL",
    description: "true: only users who verified their email may sign in (default: true when SMTP is set, else false)",
  },
  { name: "PB_SUPERUSER_EMAIL", description: "create this superuser at start when none exists yet" },
  {
    name: "PB_SUPERUSER_PASSWORD",
    description: "its password (8-71 characters; never printed, never applied to an existing superuser)",
    secret: true,
  },
  {
    name: "PB_TRUSTED_PROXY_HEADERS",
    description: "behind a reverse proxy: the header(s) holding the client IP, e.g. X-Forwarded-For (unset: not trusted)",
  },
  {
    name: "PB_TRUSTED_PROXY_USE_LEFTMOST_IP",
    description: "true: take the leftmost IP of X-Forwarded-For (only when every proxy on the way overwrites it)",
  },
  { name: "PB_LOGS_MAX_DAYS", description: "days of request logs to keep (default 5; 0 keeps none)" },
  { name: "PB_BACKUPS_CRON", description: 'scheduled backups, a cron expression in UTC, e.g. "0 3 * * *" (unset: none)' },
  { name: "PB_BACKUPS_KEEP", description: "scheduled backups to keep (default 7)" },
  { name: "PB_BACKUPS_S3_BUCKET", description: "store backups in this S3-compatible bucket (unset: in the data dir)" },
  { name: "PB_BACKUPS_S3_REGION", description: "its region (default us-east-1)" },
  { name: "PB_BACKUPS_S3_ENDPOINT", description: "its endpoint URL (e.g. https://s3.eu-central-1.amazonaws.com or a MinIO URL)" },
  { name: "PB_BACKUPS_S3_ACCESS_KEY", description: "its access key" },
  { name: "PB_BACKUPS_S3_SECRET", description: "its secret", secret: true },
  { name: "PB_BACKUPS_S3_FORCE_PATH_STYLE", description: "true for path-style URLs (MinIO and most self-hosted stores)" },
  ...["GOOGLE", "GITHUB"].flatMap((provider) => [
    {
      name: `PB_OAUTH2_${provider}_CLIENT_ID`,
      description: `sign-in with ${provider === "GOOGLE" ? "Google" : "GitHub"}: the OAuth2 client id (with its secret, enables it)`,
    },
    { name: `PB_OAUTH2_${provider}_CLIENT_SECRET`, description: "its client secret", secret: true },
  ]),
  {
    name: "PB_OAUTH2_OIDC_CLIENT_ID",
    description: "sign-in with any OpenID Connect provider: the client id (with the secret and the three URLs, enables it)",
  },
  { name: "PB_OAUTH2_OIDC_CLIENT_SECRET", description: "its client secret", secret: true },
  { name: "PB_OAUTH2_OIDC_AUTH_URL", description: "its authorization endpoint" },
  { name: "PB_OAUTH2_OIDC_TOKEN_URL", description: "its token endpoint" },
  { name: "PB_OAUTH2_OIDC_USERINFO_URL", description: "its userinfo endpoint" },
  { name: "PB_OAUTH2_OIDC_NAME", description: "the button label (default OpenID Connect)" },
];

/** What the environment asks of the engine, read and checked in one pass. */
export interface EngineEnvironment {
  /** A partial settings object: only what the environment sets. */
  settings: Record<string, unknown>;
  /**
   * Options of the users collection the environment sets: verified-only sign-in, the OAuth2 providers,
   * and one-time passwords by email (on exactly when mail can be sent: without it nobody gets the code).
   */
  users: {
    authRule: string;
    oauth2: { enabled: boolean; providers: Array<Record<string, string | boolean>> };
    otp: { enabled: boolean };
  };
  superuser: { email: string; password: string } | null;
  /** Whether emails can be sent (an SMTP server is configured). */
  mail: boolean;
  /** One line per variable with a bad value; the engine refuses to start with them. */
  problems: string[];
}

const TRUE = /^(1|true|yes|on)$/i;
const FALSE = /^(0|false|no|off)$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Reads every variable of ENGINE_VARIABLES (and the rate limits) through `getenv`. */
export function readEngineEnvironment(getenv: (name: string) => string): EngineEnvironment {
  const problems: string[] = [];
  const get = (name: string) => (getenv(name) ?? "").trim();
  const bool = (name: string): boolean | null => {
    const value = get(name);
    if (!value) return null;
    if (TRUE.test(value)) return true;
    if (FALSE.test(value)) return false;
    problems.push(`${name}: must be true or false, got "${value}"`);
    return null;
  };
  const int = (name: string, min: number, max: number): number | null => {
    const value = get(name);
    if (!value) return null;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      problems.push(`${name}: must be a whole number from ${min} to ${max}, got "${value}"`);
      return null;
    }
    return Number(value);
  };
  const url = (name: string): string | null => {
    const value = get(name);
    if (!value) return null;
    if (!/^https?:\/\/[^\s/]+/i.test(value)) problems.push(`${name}: must be an http(s) URL, got "${value}"`);
    return value.replace(/\/+$/, "");
  };

  const settings: Record<string, unknown> = {};
  const rateLimits = rateLimitEnv(getenv);
  if (rateLimits) {
    const switchValue = rateLimits.PB_RATE_LIMITS?.trim();
    if (switchValue && !TRUE.test(switchValue) && !FALSE.test(switchValue))
      problems.push(`PB_RATE_LIMITS: must be on or off, got "${switchValue}"`);
    for (const name of new Set(RATE_LIMITS.map((rule) => rule.env))) {
      const value = rateLimits[name];
      if (value && !parseRateLimit(value)) problems.push(`${name}: must look like <requests>/<seconds>, e.g. 10/60, got "${value}"`);
    }
    settings.rateLimits = rateLimitSettings(rateLimits);
  }

  const meta: Record<string, string> = {};
  if (get("PB_APP_NAME")) meta.appName = get("PB_APP_NAME");
  const appUrl = url("PB_APP_URL");
  if (appUrl) meta.appURL = appUrl;

  const host = get("PB_SMTP_HOST");
  const mail = Boolean(host);
  if (host) {
    const tls = (get("PB_SMTP_TLS") || "starttls").toLowerCase();
    if (!["starttls", "tls", "off"].includes(tls)) problems.push(`PB_SMTP_TLS: must be starttls, tls or off, got "${get("PB_SMTP_TLS")}"`);
    const from = get("PB_MAIL_FROM_ADDRESS");
    if (!from) problems.push("PB_MAIL_FROM_ADDRESS: required with PB_SMTP_HOST (the sender address of every email)");
    else if (!EMAIL.test(from)) problems.push(`PB_MAIL_FROM_ADDRESS: must be an email address, got "${from}"`);
    settings.smtp = {
      enabled: true,
      host,
      port: int("PB_SMTP_PORT", 1, 65535) ?? (tls === "tls" ? 465 : 587),
      username: get("PB_SMTP_USERNAME"),
      password: get("PB_SMTP_PASSWORD"),
      tls: tls === "tls",
      authMethod: "PLAIN",
      localName: "",
    };
    meta.senderAddress = from;
    meta.senderName = get("PB_MAIL_FROM_NAME") || meta.appName || APP_NAME;
  } else {
    for (const name of ["PB_SMTP_PORT", "PB_SMTP_USERNAME", "PB_SMTP_PASSWORD", "PB_SMTP_TLS"]) {
      if (get(name)) problems.push(`${name}: set, but PB_SMTP_HOST is not`);
    }
  }
  if (Object.keys(meta).length) settings.meta = meta;

  const headers = get("PB_TRUSTED_PROXY_HEADERS");
  const leftmost = bool("PB_TRUSTED_PROXY_USE_LEFTMOST_IP");
  if (headers || leftmost !== null) {
    settings.trustedProxy = {
      headers: headers
        .split(",")
        .map((h) => h.trim())
        .filter(Boolean),
      useLeftmostIP: leftmost ?? false,
    };
  }

  const maxDays = int("PB_LOGS_MAX_DAYS", 0, 3650);
  if (maxDays !== null) settings.logs = { maxDays };

  const cron = get("PB_BACKUPS_CRON");
  const bucket = get("PB_BACKUPS_S3_BUCKET");
  if (cron && cron.split(/\s+/).length !== 5 && !cron.startsWith("@"))
    problems.push(`PB_BACKUPS_CRON: must be a 5-field cron expression, got "${cron}"`);
  const keep = int("PB_BACKUPS_KEEP", 1, 1000);
  if (cron || bucket || keep !== null) {
    const s3 = bucket
      ? {
          enabled: true,
          bucket,
          region: get("PB_BACKUPS_S3_REGION") || "us-east-1",
          endpoint: url("PB_BACKUPS_S3_ENDPOINT") ?? "",
          accessKey: get("PB_BACKUPS_S3_ACCESS_KEY"),
          secret: get("PB_BACKUPS_S3_SECRET"),
          forcePathStyle: bool("PB_BACKUPS_S3_FORCE_PATH_STYLE") ?? false,
        }
      : { enabled: false };
    if (bucket && !get("PB_BACKUPS_S3_ENDPOINT")) problems.push("PB_BACKUPS_S3_ENDPOINT: required with PB_BACKUPS_S3_BUCKET");
    settings.backups = { cron, cronMaxKeep: keep ?? 7, s3 };
  }

  const providers: Array<Record<string, string | boolean>> = [];
  for (const [provider, name] of [
    ["GOOGLE", "google"],
    ["GITHUB", "github"],
  ] as const) {
    const id = get(`PB_OAUTH2_${provider}_CLIENT_ID`);
    const secret = get(`PB_OAUTH2_${provider}_CLIENT_SECRET`);
    if (id && secret) providers.push({ name, clientId: id, clientSecret: secret });
    else if (id || secret) problems.push(`PB_OAUTH2_${provider}_CLIENT_ID and PB_OAUTH2_${provider}_CLIENT_SECRET: set both or neither`);
  }
  const oidc = ["CLIENT_ID", "CLIENT_SECRET", "AUTH_URL", "TOKEN_URL", "USERINFO_URL"].map((part) => get(`PB_OAUTH2_OIDC_${part}`));
  if (oidc.every(Boolean)) {
    providers.push({
      name: "oidc",
      displayName: get("PB_OAUTH2_OIDC_NAME") || "OpenID Connect",
      clientId: oidc[0]!,
      clientSecret: oidc[1]!,
      authURL: url("PB_OAUTH2_OIDC_AUTH_URL") ?? "",
      tokenURL: url("PB_OAUTH2_OIDC_TOKEN_URL") ?? "",
      userInfoURL: url("PB_OAUTH2_OIDC_USERINFO_URL") ?? "",
      pkce: true,
    });
  } else if (oidc.some(Boolean)) {
    problems.push("PB_OAUTH2_OIDC_*: set the client id, the client secret and the auth, token and userinfo URLs together");
  }
  const verifiedOnly = bool("PB_REQUIRE_VERIFIED_EMAIL") ?? mail;

  const email = get("PB_SUPERUSER_EMAIL");
  const password = get("PB_SUPERUSER_PASSWORD");
  let superuser: EngineEnvironment["superuser"] = null;
  if (email || password) {
    if (!email || !password) problems.push("PB_SUPERUSER_EMAIL and PB_SUPERUSER_PASSWORD: set both or neither");
    else if (!EMAIL.test(email)) problems.push(`PB_SUPERUSER_EMAIL: must be an email address, got "${email}"`);
    else if ([...password].length < 8 || [...password].length > 71) problems.push("PB_SUPERUSER_PASSWORD: must be 8 to 71 characters");
    else superuser = { email, password };
  }

  return {
    settings,
    users: {
      authRule: verifiedOnly ? "verified = true" : "",
      oauth2: { enabled: providers.length > 0, providers },
      otp: { enabled: mail },
    },
    superuser,
    mail,
    problems,
  };
}

/** What the environment decides of the settings (see readEngineEnvironment). */
export function environmentSettings(getenv: (name: string) => string): Record<string, unknown> {
  return readEngineEnvironment(getenv).settings;
}

/** Whether `current` (settings as JSON) already holds every value of `wanted` (key order aside). */
export function holds(current: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted)) {
    return Array.isArray(current) && current.length === wanted.length && wanted.every((item, i) => holds(current[i], item));
  }
  if (wanted === null || typeof wanted !== "object") return current === wanted;
  if (current === null || typeof current !== "object") return false;
  return Object.entries(wanted).every(([key, value]) => holds((current as Record<string, unknown>)[key], value));
}
