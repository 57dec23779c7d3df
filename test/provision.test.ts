import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zipSync } from "fflate";
import { provisionEngine, EngineError } from "../src/engine/index.js";
import { readBinaryVersion } from "../src/engine/binaryVersion.js";
import { releaseAssetName } from "../src/engine/platform.js";
import { checksumFor } from "../src/engine/download.js";
import { execa } from "execa";
import { POCKETBASE_GO_TOOLCHAIN, POCKETBASE_VERSION, projectPaths } from "../src/paths.js";
import { freePort } from "../src/engine/index.js";

const version = POCKETBASE_VERSION;
const asset = releaseAssetName(version);
const realBinary = () => process.env.POCKETBASE_TEST_BIN!;

/** A stand-in for GitHub releases on loopback: serves an archive and a checksums file, counts hits. */
class FakeReleaseServer {
  hits: Record<string, number> = {};
  files = new Map<string, Buffer>();
  private server: Server = createServer((req, res) => {
    const url = req.url ?? "";
    this.hits[url] = (this.hits[url] ?? 0) + 1;
    const body = this.files.get(url);
    if (!body) return void res.writeHead(404).end("not found");
    res.writeHead(200, { "content-length": body.length }).end(body);
  });
  baseUrl = "";
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    if (typeof address !== "object" || !address) throw new Error("no address");
    this.baseUrl = `http://127.0.0.1:${address.port}`;
  }
  async stop(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
  }
  publish(archive: Buffer, checksumOf: Buffer = archive): void {
    const sha = createHash("sha256").update(checksumOf).digest("hex");
    this.files.set(`/v${version}/${asset}`, archive);
    this.files.set(`/v${version}/checksums.txt`, Buffer.from(`${"0".repeat(64)}  other.zip\n${sha}  ${asset}\n`));
  }
}

/** A loopback port with nothing listening: connections are refused at once. */
async function closedPortUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

async function freshCache(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), "pb-cache-"));
}

async function cacheContents(cacheDir: string): Promise<string[]> {
  return (await readdir(path.join(cacheDir, version)).catch(() => [] as string[])).filter((f) => f !== ".lock");
}

describe("checksumFor", () => {
  it("finds the asset's line in a goreleaser checksums file and nothing else", () => {
    const text = `${"a".repeat(64)}  pocketbase_1_linux_arm64.zip\n${"B".repeat(64)}  pocketbase_1_linux_amd64.zip\n`;
    expect(checksumFor(text, "pocketbase_1_linux_amd64.zip")).toBe("b".repeat(64));
    expect(checksumFor(text, "pocketbase_1_darwin_amd64.zip")).toBeNull();
  });
});

describe("provisioning the engine", () => {
  const release = new FakeReleaseServer();
  let archive: Buffer;
  const caches: string[] = [];
  const cache = async () => {
    const dir = await freshCache();
    caches.push(dir);
    return dir;
  };

  beforeAll(async () => {
    await release.start();
    const binary = await readFile(realBinary());
    archive = Buffer.from(zipSync({ pocketbase: [new Uint8Array(binary), { level: 0 }], "LICENSE.md": new TextEncoder().encode("MIT") }));
  });
  afterAll(async () => {
    await release.stop();
    await Promise.all(caches.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("downloads the release archive, verifies its checksum and installs the binary", async () => {
    release.publish(archive);
    const cacheDir = await cache();
    const lines: string[] = [];
    const engine = await provisionEngine({
      cacheDir,
      env: { POCKETBASE_DOWNLOAD_URL: release.baseUrl },
      methods: ["download"],
      log: (line) => lines.push(line),
    });
    expect(engine.source).toBe("download");
    expect(engine.binary).toBe(path.join(cacheDir, version, "pocketbase"));
    expect(await readBinaryVersion(engine.binary)).toBe(version);
    expect(lines.join("\n")).toMatch(/Checksum verified/);
    expect(await cacheContents(cacheDir)).toEqual(["pocketbase"]);

    // Second call: served from the cache, no new download.
    const hitsBefore = release.hits[`/v${version}/${asset}`];
    const again = await provisionEngine({
      cacheDir,
      env: { POCKETBASE_DOWNLOAD_URL: release.baseUrl },
      methods: ["download"],
      log: () => {},
    });
    expect(again.source).toBe("cache");
    expect(release.hits[`/v${version}/${asset}`]).toBe(hitsBefore);
  });

  it("refuses a tampered archive and installs nothing", async () => {
    const tampered = Buffer.from(archive);
    tampered[tampered.length >> 1] = tampered[tampered.length >> 1]! ^ 0xff;
    release.publish(tampered, archive); // checksums file lists the genuine archive
    const cacheDir = await cache();
    const attempt = provisionEngine({ cacheDir, env: { POCKETBASE_DOWNLOAD_URL: release.baseUrl }, methods: ["download"], log: () => {} });
    await expect(attempt).rejects.toThrow(EngineError);
    await expect(attempt).rejects.toThrow(/Checksum mismatch/);
    expect(await cacheContents(cacheDir)).toEqual([]);
  });

  it("refuses a release whose checksums file does not list the archive", async () => {
    release.publish(archive);
    release.files.set(`/v${version}/checksums.txt`, Buffer.from(`${"0".repeat(64)}  other.zip\n`));
    const cacheDir = await cache();
    await expect(
      provisionEngine({ cacheDir, env: { POCKETBASE_DOWNLOAD_URL: release.baseUrl }, methods: ["download"], log: () => {} }),
    ).rejects.toThrow(/no entry for/);
    expect(await cacheContents(cacheDir)).toEqual([]);
  });

  it("lets two processes provision at once without corrupting the cache or downloading twice", async () => {
    release.publish(archive);
    release.hits = {};
    const cacheDir = await cache();
    const child = () =>
      execa(
        process.execPath,
        ["--import", "tsx", path.join(projectPaths.root, "test/fixtures/provision-child.ts"), cacheDir, release.baseUrl],
        {
          cwd: projectPaths.root,
        },
      );
    const [a, b] = (await Promise.all([child(), child()])).map((r) => JSON.parse(r.stdout) as { binary: string; source: string });
    expect(a!.binary).toBe(b!.binary);
    expect([a!.source, b!.source].sort()).toEqual(["cache", "download"]);
    expect(release.hits[`/v${version}/${asset}`]).toBe(1);
    expect(await readBinaryVersion(a!.binary)).toBe(version);
    expect(await cacheContents(cacheDir)).toEqual(["pocketbase"]);
  });

  it("fails fast with one clear error listing the three ways when nothing works", async () => {
    const cacheDir = await cache();
    const attempt = provisionEngine({
      cacheDir,
      env: { POCKETBASE_DOWNLOAD_URL: await closedPortUrl() },
      methods: ["download", "go"],
      goBinary: path.join(cacheDir, "no-such-go"),
      log: () => {},
    });
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).message).toMatch(/Could not obtain PocketBase/);
    expect((error as EngineError).message).toMatch(/Go is not installed/);
    expect((error as EngineError).hint).toMatch(/POCKETBASE_BIN/);
    expect((error as EngineError).hint).toMatch(/install Go/);
    expect((error as EngineError).hint).toMatch(/internet/);
  });

  it("uses POCKETBASE_BIN when set, and explains a bad path", async () => {
    const cacheDir = await cache();
    const engine = await provisionEngine({ cacheDir, env: { POCKETBASE_BIN: realBinary() }, log: () => {} });
    expect(engine).toMatchObject({ binary: realBinary(), source: "env", version });
    expect(await cacheContents(cacheDir)).toEqual([]);

    await expect(provisionEngine({ cacheDir, env: { POCKETBASE_BIN: path.join(cacheDir, "missing") }, log: () => {} })).rejects.toThrow(
      /POCKETBASE_BIN points to .* not an executable file/,
    );
  });

  it("warns when POCKETBASE_BIN is another version", async () => {
    const cacheDir = await cache();
    const fake = path.join(cacheDir, "old-pocketbase");
    await writeFile(fake, "#!/bin/sh\necho 'pocketbase version 0.22.0'\n");
    await chmod(fake, 0o755);
    const lines: string[] = [];
    const engine = await provisionEngine({ cacheDir, env: { POCKETBASE_BIN: fake }, log: (l) => lines.push(l) });
    expect(engine.version).toBe("0.22.0");
    expect(lines.join("\n")).toMatch(/reports version 0\.22\.0, but this project pins/);
  });

  it(
    "builds the engine with Go from the module proxy when downloads fail",
    async () => {
      const cacheDir = await cache();
      const lines: string[] = [];
      const engine = await provisionEngine({
        cacheDir,
        env: { POCKETBASE_DOWNLOAD_URL: await closedPortUrl() },
        log: (line) => lines.push(line),
      });
      expect(engine.source).toBe("go");
      expect(await readBinaryVersion(engine.binary)).toBe(version);
      expect(lines.join("\n")).toMatch(/Download failed/);
      expect(lines.join("\n")).toContain(`Building PocketBase ${version} with ${POCKETBASE_GO_TOOLCHAIN}`);
      expect(await cacheContents(cacheDir)).toEqual(["pocketbase"]);
    },
    15 * 60_000,
  );
});
