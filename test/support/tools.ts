// System tools some deploy tests need (nginx, podman, moto's S3 server, litestream), found the same way
// everywhere: an override variable, then the usual install locations. Each comes from the project's own
// install script (.ci/install-*.sh), which .ci/run runs. Outside CI a missing tool skips its tests with
// a message saying how to install it; in CI (CI=true) it is an error, because CI installs them first.
import { existsSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../../src/paths.js";

export interface Tool {
  name: string;
  /** Variable that points at the executable (e.g. NGINX_BIN). */
  envVar: string;
  candidates: string[];
  /** How to get it, e.g. "bash .ci/install-nginx.sh". */
  install: string;
}

export const NGINX: Tool = {
  name: "nginx",
  envVar: "NGINX_BIN",
  candidates: ["/usr/sbin/nginx", "/usr/bin/nginx"],
  install: "bash .ci/install-nginx.sh",
};
export const PODMAN: Tool = {
  name: "podman",
  envVar: "PODMAN_BIN",
  candidates: ["/usr/bin/podman"],
  install: "bash .ci/install-podman.sh",
};
export const MOTO: Tool = {
  name: "moto_server",
  envVar: "MOTO_SERVER_BIN",
  candidates: [
    ...(process.env.PATH ?? "")
      .split(":")
      .filter(Boolean)
      .map((dir) => path.join(dir, "moto_server")),
  ],
  install: "bash .ci/install-moto.sh",
};
export const LITESTREAM: Tool = {
  name: "litestream",
  envVar: "LITESTREAM_BIN",
  candidates: [path.join(projectRoot, ".cache", "tools", "litestream")],
  install: "bash .ci/install-litestream.sh",
};

/** Path of the tool's executable, or null when it is not installed. */
export function findTool(tool: Tool): string | null {
  const fromEnv = process.env[tool.envVar];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return tool.candidates.find((candidate) => existsSync(candidate)) ?? null;
}

/** Why tests that need `tool` cannot run here (null when they can); throws in CI, where it must be installed. */
export function toolUnavailableReason(tool: Tool): string | null {
  if (findTool(tool)) return null;
  const message = `${tool.name} is not installed: run \`${tool.install}\` (or set ${tool.envVar}) to run these tests`;
  if (process.env.CI === "true" || process.env.CI === "1") throw new Error(`${message}. CI must install it before the tests.`);
  return message;
}

/** The tool's path; only call it after toolUnavailableReason returned null. */
export function requireTool(tool: Tool): string {
  const found = findTool(tool);
  if (!found) throw new Error(toolUnavailableReason(tool) ?? `${tool.name} not found`);
  return found;
}

export const CADDY: Tool = { name: "caddy", envVar: "CADDY_BIN", candidates: ["/usr/bin/caddy"], install: "bash .ci/install-nginx.sh" };
export const SYSTEMD_ANALYZE: Tool = {
  name: "systemd-analyze",
  envVar: "SYSTEMD_ANALYZE_BIN",
  candidates: ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"],
  install: "bash .ci/install-deploy-tools.sh",
};
export const PYTHON3: Tool = {
  name: "python3",
  envVar: "PYTHON3_BIN",
  candidates: (process.env.PATH ?? "")
    .split(":")
    .filter(Boolean)
    .map((dir) => path.join(dir, "python3")),
  install: "bash .ci/install-moto.sh",
};
