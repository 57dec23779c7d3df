// npm run image: the container image (deploy/container/Containerfile) from a bundle, built offline.
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildBundle } from "../src/deploy/bundle.js";
import { DEFAULT_BUSYBOX, DEFAULT_CA_CERTS, prepareImageContext } from "../src/deploy/imageContext.js";
import { buildImage, findImageBuilder, type ImageBuilder } from "../src/deploy/imageBuild.js";
import { hostTarget } from "../src/deploy/target.js";
import { readEnv } from "../src/config.js";
import { consoleLogger } from "../src/engine/index.js";
import { expectPositionals, parseCliArgs } from "../src/cli/args.js";
import { runCli, UserError } from "../src/cli/run.js";

const DEFAULT_TAG = "localhost/pocketbase-ts-starter:latest";

const HELP = `Usage: npm run image [-- --bundle <dir>] [--tag <name>] [--builder podman|docker] [--context-only <dir>]

Builds the production container image: the bundle on an empty base (FROM scratch, no RUN steps, so it
builds offline), a static busybox as its shell, CA certificates, a non-root user (uid 10001), the data
dir /pb_data as a volume, a health check on /api/health. See deploy/container/Containerfile.

Options:
  --bundle <dir>        the bundle to pack (default: build a fresh one into ./bundle for this machine)
  --tag <name>          image name (default: ${DEFAULT_TAG})
  --builder <name>      podman or docker (default: whichever is installed, podman first)
  --context-only <dir>  only write the build context there (for a remote builder), build nothing
  --busybox <file>      static busybox for the image's arch (default: ${DEFAULT_BUSYBOX}, Debian's busybox-static)
  --ca-certs <file>     CA bundle (default: ${DEFAULT_CA_CERTS})
  --no-cache            rebuild every layer
  -h, --help            show this help`;

runCli(async () => {
  const { values, positionals } = parseCliArgs({
    bundle: { type: "string" },
    tag: { type: "string" },
    builder: { type: "string" },
    "context-only": { type: "string" },
    busybox: { type: "string" },
    "ca-certs": { type: "string" },
    "no-cache": { type: "boolean" },
  });
  if (values.help) return void console.log(HELP);
  expectPositionals(positionals, 0, 0, "npm run image [-- --bundle <dir>] [--tag <name>]");
  if (values.builder !== undefined && !["podman", "docker"].includes(values.builder)) {
    throw new UserError(`--builder must be podman or docker, got "${values.builder}".`);
  }
  const tag = values.tag ?? DEFAULT_TAG;

  let bundleDir = values.bundle && path.resolve(values.bundle);
  if (!bundleDir) {
    bundleDir = path.resolve("bundle");
    console.log(`• Building the bundle into ${bundleDir} ...`);
    await buildBundle({ outDir: bundleDir, target: { ...hostTarget(), os: "linux" }, env: readEnv(), log: consoleLogger });
  } else if (!(await stat(bundleDir).catch(() => null))) {
    throw new UserError(`--bundle ${bundleDir} does not exist. Make one with: npm run bundle -- --out ${values.bundle}`);
  }

  const contextOnly = values["context-only"] && path.resolve(values["context-only"]);
  const contextDir = contextOnly ?? (await mkdtemp(path.join(tmpdir(), "image-context-")));
  try {
    const { manifest } = await prepareImageContext({ bundleDir, contextDir, busybox: values.busybox, caCerts: values["ca-certs"] });
    if (contextOnly) {
      console.log(`✔ Build context written: ${contextOnly} (bundle for ${manifest.target})`);
      console.log("\nNext steps:");
      console.log(
        `  • Build it anywhere:  podman build --format docker -t ${tag} ${contextOnly}   (or docker build -t ${tag} ${contextOnly})`,
      );
      return;
    }
    const builder: ImageBuilder | null = (values.builder as ImageBuilder | undefined) ?? (await findImageBuilder());
    if (!builder)
      throw new UserError("Neither podman nor docker is installed. Install one (bash .ci/install-podman.sh), or use --context-only <dir>.");
    console.log(`• Building ${tag} (${manifest.target}) with ${builder} ...`);
    await buildImage({ contextDir, tag, builder, platform: manifest.target, noCache: values["no-cache"], log: consoleLogger });
    console.log(`✔ Image built: ${tag}`);
    console.log("\nNext steps:");
    console.log(
      `  • Run it:   ${builder} run -d --name app -p 8090:8090 -v app-data:/pb_data -e PB_SUPERUSER_EMAIL=you@example.com -e PB_SUPERUSER_PASSWORD='a-long-password' ${tag}`,
    );
    console.log(`  • Push it:  ${builder} push ${tag} <registry>/<name>:<version>   (README, "Deploy")`);
  } finally {
    if (!contextOnly) await rm(contextDir, { recursive: true, force: true });
  }
});
