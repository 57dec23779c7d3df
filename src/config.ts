import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseDotenv } from "dotenv";
import { z } from "zod";
import { projectRoot } from "./paths.js";
import { DEFAULT_HOOKS_POOL } from "./engine/serve.js";
import { readEngineEnvironment } from "../pb_hooks/lib/settings.js";

/** One message per variable: the first thing wrong with it. */
const hostPort = z.string().superRefine((value, ctx) => {
  if (!/^[^\s:]*:\d{1,5}$/.test(value)) ctx.addIssue({ code: "custom", message: `must be host:port, e.g. 127.0.0.1:8090, got "${value}"` });
  else if (Number(value.split(":").pop()) > 65535)
    ctx.addIssue({ code: "custom", message: `the port must be at most 65535, got "${value}"` });
});

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .superRefine((value, ctx) => {
      const text = value.trim();
      if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max)
        ctx.addIssue({ code: "custom", message: `must be a whole number from ${min} to ${max}, got "${value}"` });
    })
    .transform((value) => Number(value.trim()));

/** "*" or a browser origin: scheme, host and port only (no path). */
const ORIGIN = /^(\*|https?:\/\/[^\s/?#]+)$/i;

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

/**
 * The settings the Node tooling reads from the environment, with their defaults. The engine's own
 * variables (mail, sign-in providers, proxy, backups, rate limits, the first superuser) are listed and
 * checked once, in pb_hooks/lib/settings.ts, because the engine applies them itself (also without Node).
 */
export const configSchema = z.object({
  PB_HTTP: hostPort.default("127.0.0.1:8090"),
  PB_DATA_DIR: z.string().min(1).default("./pb_data"),
  PB_ORIGINS: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? "")
        .split(",")
        .map((o) => o.trim().replace(/\/+$/, ""))
        .filter(Boolean),
    )
    .superRefine((origins, ctx) => {
      const bad = origins.filter((origin) => !ORIGIN.test(origin));
      if (bad.length)
        ctx.addIssue({
          code: "custom",
          message: `must be * or origins like https://app.example.com, comma-separated; got "${bad.join('", "')}"`,
        });
    }),
  POCKETBASE_BIN: optionalString,
  PB_HOOKS_POOL: wholeNumber(1, 10_000).default(DEFAULT_HOOKS_POOL),
});

export interface AppConfig {
  /** host:port the engine listens on. */
  http: string;
  /** Base URL of the API, derived from `http`. */
  url: string;
  /** Absolute data dir. */
  dataDir: string;
  origins: string[];
  /** PB_SUPERUSER_EMAIL / PB_SUPERUSER_PASSWORD (the engine creates it at start when none exists). */
  superuser: { email: string; password: string } | null;
  /** Whether an SMTP server is configured (emails are sent). */
  mail: boolean;
  pocketbaseBin: string | undefined;
  /** JS runtimes the engine keeps ready for hooks. */
  hooksPool: number;
}

/** A bad setting, reported as one line per variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Reads `.env` from the project root; real environment variables win over it. */
export function readEnv(env: NodeJS.ProcessEnv = process.env, envFile = path.join(projectRoot, ".env")): NodeJS.ProcessEnv {
  let fromFile: Record<string, string> = {};
  try {
    fromFile = parseDotenv(readFileSync(envFile, "utf8"));
  } catch {
    // no .env file: nothing to merge
  }
  return { ...fromFile, ...env };
}

/** Parses the environment (plus .env) into a typed config, failing fast with a readable message. */
export function loadConfig(env: NodeJS.ProcessEnv = readEnv()): AppConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const c = result.data;
  const engine = readEngineEnvironment((name) => env[name] ?? "");
  if (engine.problems.length) throw new ConfigError(`Invalid configuration:\n${engine.problems.map((p) => `  ${p}`).join("\n")}`);
  const host = c.PB_HTTP.slice(0, c.PB_HTTP.lastIndexOf(":"));
  const port = c.PB_HTTP.slice(c.PB_HTTP.lastIndexOf(":") + 1);
  const urlHost = !host || host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "[::1]" : host;
  return {
    http: c.PB_HTTP,
    url: `http://${urlHost}:${port}`,
    dataDir: path.resolve(projectRoot, c.PB_DATA_DIR),
    origins: c.PB_ORIGINS,
    superuser: engine.superuser,
    mail: engine.mail,
    pocketbaseBin: c.POCKETBASE_BIN,
    hooksPool: c.PB_HOOKS_POOL,
  };
}
