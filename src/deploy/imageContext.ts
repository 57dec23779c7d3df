import { chmod, copyFile, cp, mkdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { projectPaths } from "../paths.js";
import { EngineError } from "../engine/errors.js";
import { executableTarget, isStaticElf } from "./binaryFormat.js";
import { MANIFEST, type BundleManifest } from "./bundle.js";

/** The shipped Containerfile (deploy/container/Containerfile). */
export const CONTAINERFILE = path.join(projectPaths.root, "deploy", "container", "Containerfile");
/** The image's user (and group): not root, and not a uid a host account is likely to have. */
export const IMAGE_UID = 10001;
/** Debian's busybox-static and ca-certificates packages put these here (.ci/install-podman.sh installs them). */
export const DEFAULT_BUSYBOX = "/bin/busybox";
export const DEFAULT_CA_CERTS = "/etc/ssl/certs/ca-certificates.crt";

export interface ImageContextOptions {
  bundleDir: string;
  contextDir: string;
  busybox?: string;
  caCerts?: string;
}

/**
 * Writes the build context the Containerfile expects: the bundle as app/ (never its pb_data/ or .env),
 * a rootfs/ with a static busybox as /bin/sh, CA certificates, passwd/group and /tmp, and an empty data/.
 * Refuses a bundle that is not for Linux, or a busybox or engine that is not static or not for its arch.
 */
export async function prepareImageContext(options: ImageContextOptions): Promise<{ manifest: BundleManifest }> {
  const bundleDir = path.resolve(options.bundleDir);
  const manifest = await readManifest(bundleDir);
  const [os, arch] = manifest.target.split("/");
  if (os !== "linux")
    throw new EngineError(
      `The bundle in ${bundleDir} is for ${manifest.target}; an image needs a linux bundle (npm run bundle -- --os linux).`,
    );
  const engine = path.join(bundleDir, "pocketbase");
  if (!(await isStaticElf(engine)))
    throw new EngineError(`${engine} is not a static executable, so it cannot run in an image without libc.`);

  const busybox = options.busybox ?? DEFAULT_BUSYBOX;
  const found = await executableTarget(busybox).catch(() => null);
  if (!found)
    throw new EngineError(
      `No static busybox at ${busybox}.`,
      "Install Debian's busybox-static (bash .ci/install-podman.sh), or pass --busybox <file>.",
    );
  if (found.arch !== arch || !(await isStaticElf(busybox))) {
    throw new EngineError(
      `${busybox} is not a static linux/${arch} executable (it is ${found.os}/${found.arch}); the image needs one for its shell.`,
      "Pass --busybox <file> built for that architecture.",
    );
  }
  const caCerts = options.caCerts ?? DEFAULT_CA_CERTS;
  const certs = await readFile(caCerts, "utf8").catch(() => "");
  if (!certs.includes("BEGIN CERTIFICATE"))
    throw new EngineError(`No CA certificates at ${caCerts}.`, "Install Debian's ca-certificates, or pass --ca-certs <file>.");

  const context = path.resolve(options.contextDir);
  await rm(context, { recursive: true, force: true });
  const rootfs = path.join(context, "rootfs");
  await mkdir(path.join(rootfs, "bin"), { recursive: true });
  await mkdir(path.join(rootfs, "etc", "ssl", "certs"), { recursive: true });
  await mkdir(path.join(rootfs, "tmp"));
  await chmod(path.join(rootfs, "tmp"), 0o1777);
  await copyFile(busybox, path.join(rootfs, "bin", "busybox"));
  await chmod(path.join(rootfs, "bin", "busybox"), 0o755);
  await symlink("busybox", path.join(rootfs, "bin", "sh"));
  await writeFile(path.join(rootfs, "etc", "ssl", "certs", "ca-certificates.crt"), certs);
  await writeFile(
    path.join(rootfs, "etc", "passwd"),
    `root:x:0:0:root:/:/bin/sh\npocketbase:x:${IMAGE_UID}:${IMAGE_UID}:pocketbase:/pb_data:/bin/sh\n`,
  );
  await writeFile(path.join(rootfs, "etc", "group"), `root:x:0:\npocketbase:x:${IMAGE_UID}:\n`);
  await mkdir(path.join(context, "data"));
  await cp(bundleDir, path.join(context, "app"), {
    recursive: true,
    filter: (source) => !["pb_data", ".env"].includes(path.relative(bundleDir, source)),
  });
  await copyFile(CONTAINERFILE, path.join(context, "Containerfile"));
  return { manifest };
}

async function readManifest(bundleDir: string): Promise<BundleManifest> {
  const file = path.join(bundleDir, MANIFEST);
  if (!(await stat(file).catch(() => null))) {
    throw new EngineError(`${bundleDir} is not a bundle (no ${MANIFEST}).`, "Make one with: npm run bundle");
  }
  return JSON.parse(await readFile(file, "utf8")) as BundleManifest;
}
