// nginx run by a test with the project's shipped config (deploy/nginx/pocketbase.conf): only the listen
// address and the upstream server are replaced, each of which must appear exactly once.
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { freePort } from "../../src/engine/freePort.js";
import { projectRoot } from "../../src/paths.js";
import { NGINX, requireTool } from "./tools.js";

export const SHIPPED_NGINX_CONFIG = path.join(projectRoot, "deploy", "nginx", "pocketbase.conf");

export interface RunningNginx {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** The shipped server config with the test's addresses; throws if the file no longer has the expected shape. */
export function adaptShippedConfig(text: string, listen: string, upstream: string): string {
  const replace = (pattern: RegExp, replacement: string, what: string) => {
    const matches = text.match(new RegExp(pattern.source, "gm"));
    if (matches?.length !== 1) throw new Error(`${SHIPPED_NGINX_CONFIG}: expected exactly one ${what}, found ${matches?.length ?? 0}`);
    text = text.replace(new RegExp(pattern.source, "m"), replacement);
  };
  replace(/^(\s*)listen 80;$/, `$1listen ${listen};`, '"listen 80;"');
  replace(/^(\s*)server 127\.0\.0\.1:8090;$/, `$1server ${upstream};`, '"server 127.0.0.1:8090;"');
  return text;
}

/** Starts nginx in the foreground on a free loopback port, proxying to `upstream` (host:port). */
export async function startNginx(upstream: string): Promise<RunningNginx> {
  const nginx = requireTool(NGINX);
  const dir = await mkdtemp(path.join(tmpdir(), "nginx-test-"));
  await chmod(dir, 0o755); // the workers run as nobody when the master is root
  const port = await freePort();
  const site = adaptShippedConfig(await readFile(SHIPPED_NGINX_CONFIG, "utf8"), `127.0.0.1:${port}`, upstream);
  await writeFile(path.join(dir, "site.conf"), site);
  const main = [
    "worker_processes 1;",
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    "events { worker_connections 512; }",
    "http {",
    `  access_log ${dir}/access.log;`,
    ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) => `  ${kind}_temp_path ${dir}/${kind}_temp;`),
    `  include ${dir}/site.conf;`,
    "}",
  ].join("\n");
  await writeFile(path.join(dir, "nginx.conf"), main);
  const child: ResultPromise = execa(nginx, ["-p", dir, "-e", `${dir}/error.log`, "-c", `${dir}/nginx.conf`, "-g", "daemon off;"], {
    reject: false,
    all: true,
    stdin: "ignore",
  });
  let exited = false;
  void child.then(() => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill("SIGTERM");
    await child;
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (exited) break;
    // Any HTTP answer (even a 502 while the upstream is down) means nginx is listening.
    const up = await fetch(`${url}/api/health`).then(
      () => true,
      () => false,
    );
    if (up) return { url, port, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const log = await readFile(path.join(dir, "error.log"), "utf8").catch(() => "");
  const result = await child;
  await rm(dir, { recursive: true, force: true });
  throw new Error(`nginx did not start:\n${String(result.all ?? "")}\n${log}`);
}
