// Which engine a bundle gets: target names (--os/--arch), the executable-header check that stands in for
// --version on a binary built for another machine, and the cache of cross-built engines.
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { executableTarget, isStaticElf, parseExecutableHeader } from "../src/deploy/binaryFormat.js";
import { obtainEngineFor } from "../src/deploy/targetEngine.js";
import { hostTarget, parseTarget } from "../src/deploy/target.js";
import { EngineError, silentLogger } from "../src/engine/index.js";
import { POCKETBASE_VERSION } from "../src/paths.js";

/** The first bytes of a 64-bit little-endian ELF executable for `machine` (e_machine). */
function elfHeader(machine: number): Buffer {
  const header = Buffer.alloc(64);
  header.writeUInt32BE(0x7f454c46, 0);
  header[4] = 2; // 64-bit
  header[5] = 1; // little-endian
  header.writeUInt16LE(machine, 18);
  return header;
}

describe("bundle targets", () => {
  it("accepts the release names and common spellings; refuses others with the list (and says why not Windows)", () => {
    expect(parseTarget("linux", "x86_64")).toEqual({ os: "linux", arch: "amd64" });
    expect(parseTarget("Linux", "aarch64")).toEqual({ os: "linux", arch: "arm64" });
    expect(parseTarget("linux", "arm")).toEqual({ os: "linux", arch: "armv7" });
    expect(parseTarget("macos", "arm64")).toEqual({ os: "darwin", arch: "arm64" });
    expect(parseTarget()).toEqual(hostTarget());
    expect(() => parseTarget("linux", "mips")).toThrow(/No bundle for linux\/mips: choose one of linux\/amd64, linux\/arm64/);
    try {
      parseTarget("windows", "amd64");
      expect.unreachable();
    } catch (error) {
      expect((error as EngineError).hint).toMatch(/POSIX shell script/);
    }
  });

  it("reads the OS/arch of an executable from its header", async () => {
    expect(parseExecutableHeader(elfHeader(0xb7))).toEqual({ os: "linux", arch: "arm64" });
    expect(parseExecutableHeader(elfHeader(0x3e))).toEqual({ os: "linux", arch: "amd64" });
    const macho = Buffer.alloc(16);
    macho.writeUInt32LE(0xfeedfacf, 0);
    macho.writeUInt32LE(0x0100000c, 4);
    expect(parseExecutableHeader(macho)).toEqual({ os: "darwin", arch: "arm64" });
    expect(parseExecutableHeader(Buffer.from("#!/bin/sh\necho hi\n"))).toBeNull();
    // The real engine: a static executable for this machine.
    const engine = process.env.POCKETBASE_TEST_BIN!;
    expect(await executableTarget(engine)).toEqual({ os: hostTarget().os, arch: hostTarget().arch });
    expect(await isStaticElf(engine)).toBe(true);
  });

  it("uses a cached cross-built engine after checking its header, and refuses one for the wrong machine", async () => {
    const cacheDir = await mkdtemp(path.join(tmpdir(), "cross-cache-"));
    try {
      const other =
        hostTarget().arch === "arm64" ? { os: "linux" as const, arch: "amd64" as const } : { os: "linux" as const, arch: "arm64" as const };
      const binary = path.join(cacheDir, POCKETBASE_VERSION, `${other.os}_${other.arch}`, "pocketbase");
      await mkdir(path.dirname(binary), { recursive: true });
      await writeFile(binary, elfHeader(other.arch === "arm64" ? 0xb7 : 0x3e));
      await chmod(binary, 0o755);
      expect(await obtainEngineFor({ target: other, cacheDir, log: silentLogger, methods: [] })).toMatchObject({ binary, source: "cache" });

      await writeFile(binary, elfHeader(0x16)); // s390x, not what the folder says
      await expect(obtainEngineFor({ target: other, cacheDir, log: silentLogger, methods: [] })).rejects.toThrow(
        `is an executable for linux/s390x, not one for linux/${other.arch}`,
      );
      await rm(binary);
      await expect(obtainEngineFor({ target: other, cacheDir, log: silentLogger, methods: [] })).rejects.toThrow(
        `Could not obtain PocketBase ${POCKETBASE_VERSION} for linux/${other.arch}`,
      );
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  });
});
