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
 * write waits for it: 100 items take well under a second on a quiet machine (1,000 took 7-8 s on a busy
 * 2-core box, close to any sane timeout). Bulk imports send several batches. The timeout leaves headroom
 * for slow disks.
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

/**
 * The settings the environment decides, as a partial settings object (empty when no variable is set).
 * Applied at every start and after every settings save (pb_hooks/settings.pb.ts), so they win.
 */
export function environmentSettings(getenv: (name: string) => string): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  const rateLimits = rateLimitEnv(getenv);
  if (rateLimits) settings.rateLimits = rateLimitSettings(rateLimits);
  return settings;
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
