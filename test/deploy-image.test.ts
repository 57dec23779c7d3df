// The container image (npm run image, deploy/container/Containerfile): built here offline with podman
// FROM scratch. Running containers is not possible in this sandbox, so the test proves the image's
// filesystem runs: podman create + podman export, then the image's entrypoint and health check started
// from the exported root with chroot, as the image's user, with the image's environment.
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { isStaticElf } from "../src/deploy/binaryFormat.js";
import { IMAGE_UID } from "../src/deploy/imageContext.js";
import { freePort } from "../src/engine/freePort.js";
import { buildTestBundle, projectRoot, runWithEnv, startBundle, type BundleProcess } from "./support/bundleProcess.js";
import { PODMAN, requireTool, toolUnavailableReason } from "./support/tools.js";

function unavailableReason(): string | null {
  const tool = toolUnavailableReason(PODMAN);
  if (tool) return tool;
  if (process.getuid?.() === 0) return null;
  const message = "running the exported image needs chroot, which needs root";
  if (process.env.CI === "true" || process.env.CI === "1") throw new Error(`${message}. CI runs as root.`);
  return message;
}
const unavailable = unavailableReason();
if (unavailable) console.warn(`[image tests skipped] ${unavailable}`);

interface ImageInspect {
  Config: { User: string; Env: string[]; Entrypoint: string[]; Volumes: Record<string, object>; ExposedPorts: Record<string, object> };
  Healthcheck?: { Test: string[] };
  RootFS: { Layers: string[] };
  Architecture: string;
  Os: string;
}

describe.skipIf(unavailable !== null)(unavailable ? `container image (skipped: ${unavailable})` : "container image (podman)", () => {
  const tag = `localhost/pocketbase-ts-starter-test:${randomBytes(4).toString("hex")}`;
  let podman: string;
  let bundle: string;
  let root: string;
  let image: ImageInspect;
  let running: BundleProcess | undefined;

  beforeAll(async () => {
    podman = requireTool(PODMAN);
    ({ dir: bundle } = await buildTestBundle());
    const built = await execa(process.execPath, ["--import", "tsx", "scripts/image.ts", "--bundle", bundle, "--tag", tag, "--no-cache"], {
      cwd: projectRoot,
      all: true,
      reject: false,
    });
    if (built.exitCode !== 0) throw new Error(`npm run image failed:\n${built.all}`);
    expect(built.all).toContain(`✔ Image built: ${tag}`);
    image = (JSON.parse((await execa(podman, ["image", "inspect", tag])).stdout) as ImageInspect[])[0]!;

    // The image's filesystem, as a container would see it.
    const container = (await execa(podman, ["create", tag])).stdout.trim();
    root = await mkdtemp(path.join(tmpdir(), "image-root-"));
    await chmod(root, 0o755); // "/" of the image: its user must be able to enter it
    try {
      await execa("sh", ["-c", `"$0" export "$1" | tar -x -C "$2"`, podman, container, root]);
    } finally {
      await execa(podman, ["rm", container], { reject: false });
    }
  }, 180_000);

  afterAll(async () => {
    await running?.stop();
    await execa(podman, ["rmi", "-f", tag], { reject: false });
    if (root) await rm(root, { recursive: true, force: true });
    if (bundle) await rm(path.dirname(bundle), { recursive: true, force: true });
  });

  it("is minimal: three COPY layers on an empty base, a static engine and shell, no libc", async () => {
    expect(image.RootFS.Layers).toHaveLength(3);
    expect(`${image.Os}/${image.Architecture}`).toBe(
      (JSON.parse(await readFile(path.join(bundle, "bundle.json"), "utf8")) as { target: string }).target,
    );
    expect((await readdir(root)).sort()).toEqual(["app", "bin", "etc", "pb_data", "tmp"]);
    expect(await isStaticElf(path.join(root, "app", "pocketbase"))).toBe(true);
    expect(await isStaticElf(path.join(root, "bin", "busybox"))).toBe(true);
    const all = await readdir(root, { recursive: true });
    expect(all.filter((file) => /^(libc[.-]|ld-linux|ld-musl)|\.so(\.|$)/.test(path.basename(file)))).toEqual([]);
    const certs = await readFile(path.join(root, "etc", "ssl", "certs", "ca-certificates.crt"), "utf8");
    expect(certs.match(/BEGIN CERTIFICATE/g)?.length ?? 0).toBeGreaterThan(50);
  });

  it("runs as a non-root user, with the data dir as a volume owned by it, and a health check", async () => {
    expect(image.Config.User).toBe(`${IMAGE_UID}:${IMAGE_UID}`);
    expect(Object.keys(image.Config.Volumes)).toEqual(["/pb_data"]);
    expect(Object.keys(image.Config.ExposedPorts)).toEqual(["8090/tcp"]);
    expect(image.Config.Entrypoint).toEqual(["/app/start"]);
    expect(image.Config.Env).toEqual(expect.arrayContaining(["PB_HTTP=0.0.0.0:8090", "PB_DATA_DIR=/pb_data"]));
    expect(image.Healthcheck?.Test[0]).toBe("CMD-SHELL");
    const data = await stat(path.join(root, "pb_data"));
    expect([data.uid, data.gid]).toEqual([IMAGE_UID, IMAGE_UID]);
  });

  it("the exported filesystem serves the app: entrypoint as the image's user, health check green, then red once stopped", async () => {
    const port = await freePort();
    // The image's environment, plus what `podman run -e ...` would add (a free port instead of 8090 here).
    const env = {
      ...Object.fromEntries(image.Config.Env.map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)])),
      PB_HTTP: `127.0.0.1:${port}`,
      PB_SUPERUSER_EMAIL: "ops@example.com",
      PB_SUPERUSER_PASSWORD: "ops-password-123",
    };
    const chroot = ["--userspec", image.Config.User, root];
    running = await startBundle("/usr/sbin/chroot", env, {
      args: [...chroot, ...image.Config.Entrypoint],
      url: `http://127.0.0.1:${port}`,
    });
    expect(running.output()).toContain("Created superuser ops@example.com");
    const admin = running.client();
    await admin.collection("_superusers").authWithPassword("ops@example.com", "ops-password-123");
    expect((await admin.collections.getFullList()).map((c) => c.name)).toEqual(expect.arrayContaining(["todos", "categories"]));

    const pid = await enginePid(running.process.pid!);
    expect(await readFile(`/proc/${pid}/status`, "utf8")).toMatch(new RegExp(`^Uid:\\s+${IMAGE_UID}\\s`, "m"));
    const db = await stat(path.join(root, "pb_data", "data.db"));
    expect(db.uid).toBe(IMAGE_UID);

    const healthcheck = ["/bin/sh", "-c", image.Healthcheck!.Test[1]!];
    expect((await runWithEnv("/usr/sbin/chroot", [...chroot, ...healthcheck], env)).exitCode).toBe(0);
    expect(await running.stop()).toBe(0);
    running = undefined;
    expect((await runWithEnv("/usr/sbin/chroot", [...chroot, ...healthcheck], env)).exitCode).not.toBe(0);
  });
});

/** chroot execs the entrypoint, which execs the engine: the same process, or its child on some chroots. */
async function enginePid(pid: number): Promise<number> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "");
  const child = children.trim().split(/\s+/).filter(Boolean)[0];
  return child ? Number(child) : pid;
}
