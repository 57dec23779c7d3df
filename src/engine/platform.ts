import { EngineError } from "./errors.js";

/** Maps Node's platform/arch names to the suffixes of PocketBase's release archives. */
export function releaseTarget(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): {
  os: string;
  arch: string;
  exe: string;
} {
  const osName = { linux: "linux", darwin: "darwin", win32: "windows" }[platform as string];
  const archName = { x64: "amd64", arm64: "arm64", arm: "armv7", s390x: "s390x", ppc64: "ppc64le" }[arch];
  if (!osName || !archName) {
    throw new EngineError(
      `PocketBase publishes no release for ${platform}/${arch}.`,
      "Build it with Go (install Go >= 1.21) or set POCKETBASE_BIN to a binary you built.",
    );
  }
  return { os: osName, arch: archName, exe: platform === "win32" ? ".exe" : "" };
}

/** File name of the official release archive, e.g. pocketbase_0.40.4_linux_amd64.zip. */
export function releaseAssetName(version: string, target = releaseTarget()): string {
  return `pocketbase_${version}_${target.os}_${target.arch}.zip`;
}
