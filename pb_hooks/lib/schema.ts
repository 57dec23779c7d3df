// The one place for the schema's facts: collection names, field limits, access rules, reference data
// and rate limits. Compiled to CommonJS: migrations and hook handlers load it with
// require(`${__hooks}/lib/schema.js`); Node code (tests, scripts) imports it directly.

export const COLLECTIONS = {
  users: "users",
  categories: "categories",
  todos: "todos",
} as const;

/** Id of PocketBase's built-in users collection (fixed by the engine). */
export const USERS_COLLECTION_ID = "_pb_users_auth_";

export const LIMITS = {
  categoryNameMax: 50,
  taskMax: 200,
} as const;

/** Categories every instance has; created by a migration, ensured again by `npm run seed`. */
export const DEFAULT_CATEGORIES = ["Urgent", "Non-urgent"] as const;

/** A signed-in regular user (superusers skip rules; other auth collections are excluded). */
const signedInUser = '@request.auth.id != "" && @request.auth.collectionName = "users"';
const isOwner = `${signedInUser} && owner = @request.auth.id`;
/**
 * Ids are assigned by the server. A client-chosen id would be an existence oracle: creating with the id
 * of someone else's record fails ("not unique") where a fresh id succeeds. The rule refuses both alike.
 */
const serverAssignedId = "@request.body.id:isset = false";

/**
 * API rules. null = superusers only. Hooks add what rules cannot express (trimming, setting the owner,
 * clear errors); see pb_hooks/*.pb.ts.
 */
export const RULES = {
  users: {
    listRule: 'id = @request.auth.id',
    viewRule: 'id = @request.auth.id',
    createRule: serverAssignedId, // open sign-up
    updateRule: 'id = @request.auth.id',
    deleteRule: 'id = @request.auth.id',
    manageRule: null,
  },
  categories: {
    listRule: signedInUser,
    viewRule: signedInUser,
    createRule: null,
    updateRule: null,
    deleteRule: null,
  },
  todos: {
    listRule: isOwner,
    viewRule: isOwner,
    // Who may own a todo is enforced by pb_hooks/todos.pb.ts on every write path (REST and batch): the
    // server sets owner = caller on create and refuses any other owner, or an owner change, with a 403
    // that names the field. Rules cannot produce that message: they run first and answer a bare 400/404.
    createRule: `${signedInUser} && ${serverAssignedId}`,
    updateRule: isOwner,
    deleteRule: isOwner,
  },
} as const;

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
