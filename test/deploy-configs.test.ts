// The shipped deployment files agree with the image and are valid to the tools that read them:
// the systemd unit (systemd-analyze verify), the Caddyfile (caddy validate), fly.toml (a TOML parser) and
// the Containerfile (same port, volume and health path everywhere). nginx's config is run for real by
// test/deploy-proxy.test.ts; the image by test/deploy-image.test.ts.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { CONTAINERFILE } from "../src/deploy/imageContext.js";
import { START_SCRIPT } from "../src/deploy/bundle.js";
import { projectRoot } from "../src/paths.js";
import { CADDY, PYTHON3, requireTool, SYSTEMD_ANALYZE, toolUnavailableReason } from "./support/tools.js";

const UNIT = path.join(projectRoot, "deploy", "systemd", "pocketbase-ts-starter.service");
const CADDYFILE = path.join(projectRoot, "deploy", "caddy", "Caddyfile");
const FLY_TOML = path.join(projectRoot, "deploy", "fly", "fly.toml");

const missing = [SYSTEMD_ANALYZE, CADDY, PYTHON3].map(toolUnavailableReason).filter((reason) => reason !== null);
if (missing.length) console.warn(`[deploy config tests skipped] ${missing.join("; ")}`);

describe.skipIf(missing.length > 0)(missing.length ? `deployment files (skipped: ${missing.join("; ")})` : "deployment files", () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), "deploy-configs-"));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it("the systemd unit passes systemd-analyze verify (with ExecStart pointing at a real start script)", async () => {
    const unit = await readFile(UNIT, "utf8");
    expect(unit).toContain("ExecStart=/opt/pocketbase-ts-starter/start\n");
    const copy = path.join(scratch, "pocketbase-ts-starter.service");
    await writeFile(copy, unit.replace("ExecStart=/opt/pocketbase-ts-starter/start", `ExecStart=${START_SCRIPT}`));
    const result = await execa(requireTool(SYSTEMD_ANALYZE), ["verify", copy], { reject: false, all: true });
    expect(result.all).toBe("");
    expect(result.exitCode).toBe(0);
    // It fails on a unit that is wrong, so the check above means something.
    await writeFile(copy, unit.replace("ExecStart=/opt/pocketbase-ts-starter/start", "ExecStart=relative/start"));
    expect((await execa(requireTool(SYSTEMD_ANALYZE), ["verify", copy], { reject: false })).exitCode).not.toBe(0);
  });

  it("the Caddyfile is valid to caddy, and proxies to the engine's default address", async () => {
    const result = await execa(requireTool(CADDY), ["validate", "--adapter", "caddyfile", "--config", CADDYFILE], {
      reject: false,
      all: true,
    });
    expect(result.all).toContain("Valid configuration");
    expect(await readFile(CADDYFILE, "utf8")).toMatch(/reverse_proxy 127\.0\.0\.1:8090/);
  });

  it("fly.toml matches the image: port, volume, data dir, health path, and trusts Fly's client-IP header", async () => {
    const parsed = await execa(requireTool(PYTHON3), [
      "-c",
      "import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], 'rb'))))",
      FLY_TOML,
    ]);
    const fly = JSON.parse(parsed.stdout) as {
      env: Record<string, string>;
      mounts: Array<{ destination: string }>;
      http_service: { internal_port: number; checks: Array<{ path: string }> };
    };
    const containerfile = await readFile(CONTAINERFILE, "utf8");
    const exposed = Number(/^EXPOSE (\d+)$/m.exec(containerfile)?.[1]);
    const volume = /^VOLUME \["([^"]+)"\]$/m.exec(containerfile)?.[1];
    expect(fly.http_service.internal_port).toBe(exposed);
    expect(fly.env.PB_HTTP).toBe(`0.0.0.0:${exposed}`);
    expect(fly.mounts.map((m) => m.destination)).toEqual([volume]);
    expect(fly.env.PB_DATA_DIR).toBe(volume);
    expect(fly.http_service.checks.map((c) => c.path)).toEqual(["/api/health"]);
    expect(containerfile).toMatch(/HEALTHCHECK[\s\S]*\/api\/health/);
    expect(fly.env.PB_TRUSTED_PROXY_HEADERS).toBe("Fly-Client-IP");
  });
});
