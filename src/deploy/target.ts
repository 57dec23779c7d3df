import { releaseTarget } from "../engine/platform.js";
import { EngineError } from "../engine/errors.js";

/**
 * An OS/arch a bundle can be made for, in PocketBase's release names (armv7, not arm). Windows is left
 * out on purpose: the bundle's entry point is a POSIX shell script.
 */
export interface BundleTarget {
  os: "linux" | "darwin";
  arch: "amd64" | "arm64" | "armv7" | "s390x" | "ppc64le";
}

/** The targets PocketBase publishes a release for, minus Windows. */
export const BUNDLE_TARGETS: readonly BundleTarget[] = [
  { os: "linux", arch: "amd64" },
  { os: "linux", arch: "arm64" },
  { os: "linux", arch: "armv7" },
  { os: "linux", arch: "s390x" },
  { os: "linux", arch: "ppc64le" },
  { os: "darwin", arch: "amd64" },
  { os: "darwin", arch: "arm64" },
];

/** Other spellings people type (Node's, uname's, Go's) for the release names. */
const ARCH_ALIASES: Record<string, string> = { x64: "amd64", x86_64: "amd64", aarch64: "arm64", arm: "armv7", armhf: "armv7" };
const OS_ALIASES: Record<string, string> = { macos: "darwin", mac: "darwin" };

export function targetLabel(target: BundleTarget): string {
  return `${target.os}/${target.arch}`;
}

/** This machine as a bundle target (an EngineError where PocketBase has no release, e.g. Windows). */
export function hostTarget(): BundleTarget {
  const host = releaseTarget();
  return parseTarget(host.os, host.arch);
}

/** Checks --os/--arch (each defaults to this machine) and says which targets exist when one does not. */
export function parseTarget(os?: string, arch?: string): BundleTarget {
  const host = os === undefined || arch === undefined ? releaseTarget() : undefined;
  const wantedOs = (os ?? host!.os).trim().toLowerCase();
  const wantedArch = (arch ?? host!.arch).trim().toLowerCase();
  const normalizedOs = OS_ALIASES[wantedOs] ?? wantedOs;
  const normalizedArch = ARCH_ALIASES[wantedArch] ?? wantedArch;
  const found = BUNDLE_TARGETS.find((t) => t.os === normalizedOs && t.arch === normalizedArch);
  if (!found) {
    const hint =
      normalizedOs === "windows"
        ? "The bundle starts with a POSIX shell script; on Windows use WSL (--os linux) or the container image."
        : undefined;
    throw new EngineError(`No bundle for ${wantedOs}/${wantedArch}: choose one of ${BUNDLE_TARGETS.map(targetLabel).join(", ")}.`, hint);
  }
  return { ...found };
}

/** Go's GOOS/GOARCH for a target (armv7 is GOARCH=arm, whose cross-compile default is ARMv7). */
export function goTarget(target: BundleTarget): { os: string; arch: string } {
  return { os: target.os, arch: target.arch === "armv7" ? "arm" : target.arch };
}

export function sameTarget(a: BundleTarget, b: BundleTarget): boolean {
  return a.os === b.os && a.arch === b.arch;
}
