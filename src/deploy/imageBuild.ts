import { execa } from "execa";
import { EngineError } from "../engine/errors.js";
import type { Logger } from "../engine/log.js";

export type ImageBuilder = "podman" | "docker";

/** The first of podman and docker that answers --version; null when neither is installed. */
export async function findImageBuilder(): Promise<ImageBuilder | null> {
  for (const builder of ["podman", "docker"] as const) {
    const result = await execa(builder, ["--version"], { reject: false }).catch(() => null);
    if (result?.exitCode === 0) return builder;
  }
  return null;
}

/**
 * Builds the image from a prepared context (prepareImageContext). podman needs `--format docker` for the
 * HEALTHCHECK to be kept (the OCI image format has no health check). Nothing is run inside a container.
 */
export async function buildImage(options: {
  contextDir: string;
  tag: string;
  builder: ImageBuilder;
  platform: string;
  /** Rebuild every layer (podman 4's layer cache has been seen to ignore a COPY's --chown). */
  noCache?: boolean;
  log: Logger;
}): Promise<void> {
  const { builder, tag, contextDir, log } = options;
  const args = [
    "build",
    ...(builder === "podman" ? ["--format", "docker"] : []),
    ...(options.noCache ? ["--no-cache"] : []),
    "--platform",
    options.platform,
    "-t",
    tag,
    "-f",
    "Containerfile",
    ".",
  ];
  log(`${builder} ${args.join(" ")}`);
  const result = await execa(builder, args, { cwd: contextDir, reject: false, all: true });
  if (result.exitCode !== 0) {
    const tail = (result.all ?? "").trim().split("\n").slice(-8).join("\n");
    throw new EngineError(`${builder} build failed (exit ${result.exitCode}):\n${tail}`);
  }
}
