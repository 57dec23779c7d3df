import { ENGINE_VARIABLES, RATE_LIMITS } from "../../pb_hooks/lib/settings.js";

/** The variables the bundle's start script maps to engine flags (the engine reads every other one itself). */
export const START_VARIABLES = [
  { name: "PB_HTTP", example: "127.0.0.1:8090", description: "host:port to listen on (0.0.0.0:8090 in a container)" },
  { name: "PB_DATA_DIR", example: "./pb_data", description: "data folder; a relative path is taken from the bundle's folder" },
  { name: "PB_ORIGINS", example: "https://app.example.com", description: "allowed CORS origins, comma-separated (default: any)" },
  { name: "PB_HOOKS_POOL", example: "256", description: "JS runtimes kept ready for hooks; above your peak realtime clients + 64" },
] as const;

/**
 * The bundle's .env.example: every variable the start script and the engine read, commented out, with
 * what it does. Generated from the same lists the engine and the README use, so it cannot fall behind.
 */
export function envExample(): string {
  const lines = [
    "# Configuration of the bundle. Copy to .env beside ./start (real environment variables win over it),",
    "# or set the same variables in systemd (EnvironmentFile=) or your container platform. Unset = default.",
    "",
    "# --- read by ./start ---",
  ];
  for (const v of START_VARIABLES) lines.push(`# ${v.description}`, `#${v.name}=${v.example}`);
  lines.push("", "# --- read by the engine itself at every start ---");
  for (const v of ENGINE_VARIABLES) lines.push(`# ${v.description}${v.secret ? " (secret)" : ""}`, `#${v.name}=`);
  lines.push(
    "",
    "# --- rate limits per client IP, as <requests>/<seconds>; PB_RATE_LIMITS=off disables the limiter ---",
    "#PB_RATE_LIMITS=on",
  );
  for (const name of new Set(RATE_LIMITS.map((rule) => rule.env))) {
    const rule = RATE_LIMITS.find((r) => r.env === name)!;
    lines.push(`#${name}=${rule.maxRequests}/${rule.duration}`);
  }
  return `${lines.join("\n")}\n`;
}
