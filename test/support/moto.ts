// A real S3-compatible server for the backup tests: moto's standalone server (PyPI "moto[server]",
// installed by .ci/install-moto.sh), on a free loopback port, in memory. It accepts any credentials.
import { execa, type ResultPromise } from "execa";
import { freePort } from "../../src/engine/freePort.js";
import { MOTO, requireTool } from "./tools.js";

export interface S3Object {
  key: string;
  size: number;
}

export interface MotoServer {
  url: string;
  createBucket(bucket: string): Promise<void>;
  /** Keys (and sizes) in a bucket, as S3's ListObjectsV2 answers. */
  list(bucket: string, prefix?: string): Promise<S3Object[]>;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<MotoServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ResultPromise = execa(requireTool(MOTO), ["-H", "127.0.0.1", "-p", String(port)], {
    reject: false,
    all: true,
    stdin: "ignore",
  });
  let exited = false;
  void child.then(() => (exited = true));
  const server: MotoServer = {
    url,
    async createBucket(bucket) {
      const response = await fetch(`${url}/${bucket}`, { method: "PUT" });
      if (!response.ok) throw new Error(`creating bucket ${bucket}: HTTP ${response.status} ${await response.text()}`);
    },
    async list(bucket, prefix = "") {
      const response = await fetch(`${url}/${bucket}?list-type=2&prefix=${encodeURIComponent(prefix)}`);
      const xml = await response.text();
      if (!response.ok) throw new Error(`listing ${bucket}: HTTP ${response.status} ${xml}`);
      return [...xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)].map(([, item]) => ({
        key: decodeXml(/<Key>([\s\S]*?)<\/Key>/.exec(item!)?.[1] ?? ""),
        size: Number(/<Size>(\d+)<\/Size>/.exec(item!)?.[1] ?? 0),
      }));
    },
    async stop() {
      child.kill("SIGTERM");
      await child;
    },
  };
  const deadline = Date.now() + 30_000;
  while (!exited && Date.now() < deadline) {
    const up = await fetch(`${url}/`).then(
      () => true,
      () => false,
    );
    if (up) return server;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await server.stop();
  throw new Error(`moto_server did not start on ${url}:\n${String((await child).all ?? "")}`);
}

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}
