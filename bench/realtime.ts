// npm run bench:realtime: what open realtime connections cost the rest of the API. Every realtime
// (SSE) connection is a request that lasts as long as the client stays, and a JS middleware holds a
// hook runtime for the whole request; past the pool size, every hook call builds a throwaway runtime.
// For each variant: sequential creates and first-page lists with no realtime client, then with N
// connected, and the ratio of the two (measured back to back in one run). Asserts nothing.
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseCliArgs } from "../src/cli/args.js";
import { runCli, UserError } from "../src/cli/run.js";
import { prepareEngine, silentLogger } from "../src/engine/index.js";
import { projectPaths } from "../src/paths.js";
import { startOursEngine, type BenchEngine } from "./engines.js";
import { requestJson } from "./http.js";

const HELP = `Usage: npm run bench:realtime [-- options]

Starts the project's engine (fresh temp data dir) per variant, measures sequential creates and
first-page lists, opens N realtime connections, measures again, and prints both and their ratio.

Options:
  --clients <n>    realtime connections to open (default 400)
  --ops <n>        creates and lists per measurement (default 400)
  --pools <list>   hook pool sizes to try with the project's hooks (default 256,512)
  -h, --help       show this help`;

interface Phase {
  createMs: number;
  listMs: number;
  rssMb: number;
}

runCli(async () => {
  const { values } = parseCliArgs({ clients: { type: "string" }, ops: { type: "string" }, pools: { type: "string" } });
  if (values.help) return void console.log(HELP);
  const clients = positive(values.clients ?? "400", "--clients");
  const ops = positive(values.ops ?? "400", "--ops");
  const pools = (values.pools ?? "256,512").split(",").map((pool) => positive(pool, "--pools"));

  console.log("Preparing the engine (binary, compiled migrations and hooks)…");
  const { binary } = await prepareEngine({ log: silentLogger });
  const hooks = path.join(projectPaths.root, ".build", "pb_hooks");
  const withoutGuard = await mkdtemp(path.join(tmpdir(), "pb-bench-hooks-"));
  await cp(hooks, withoutGuard, { recursive: true });
  await rm(path.join(withoutGuard, "guard.pb.js"));

  const variants = [
    ...pools.map((pool) => ({ name: `ours, pool ${pool}`, hooksDir: hooks, pool })),
    { name: `ours without the smuggling guard, pool ${pools[0]}`, hooksDir: withoutGuard, pool: pools[0]! },
  ];
  console.log(`\n${clients} realtime clients, ${ops} sequential creates and lists per measurement (ms per request)\n`);
  console.log(
    ["variant", "create", `create +${clients}`, "ratio", "list", `list +${clients}`, "ratio", "RSS MB", `RSS +${clients}`].join(" | "),
  );
  try {
    for (const variant of variants) {
      const engine = await startOursEngine(binary, { hooksDir: variant.hooksDir, serveArgs: [`--hooksPool=${variant.pool}`] });
      try {
        const user = await signUp(engine);
        await measure(engine, user, ops); // warm-up
        const idle = await measure(engine, user, ops);
        const streams = await openRealtime(engine.url, clients);
        const busy = await measure(engine, user, ops);
        for (const stream of streams) stream.destroy();
        const row = [
          variant.name,
          idle.createMs,
          busy.createMs,
          busy.createMs / idle.createMs,
          idle.listMs,
          busy.listMs,
          busy.listMs / idle.listMs,
          idle.rssMb,
          busy.rssMb,
        ];
        console.log(
          row.map((cell) => (typeof cell === "number" ? (Number.isInteger(cell) ? String(cell) : cell.toFixed(2)) : cell)).join(" | "),
        );
      } finally {
        await engine.dispose();
      }
    }
  } finally {
    await rm(withoutGuard, { recursive: true, force: true });
  }
  console.log("\nRatios above 1 are what the open connections cost. Size PB_HOOKS_POOL from them (docs/SCALING.md).");
  return 0;
});

function positive(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UserError(`${flag} must be a positive integer, got "${text}".`);
  return value;
}

interface User {
  token: string;
  category: string;
}

async function signUp(engine: BenchEngine): Promise<User> {
  const email = `rt-${Date.now()}@example.com`;
  const password = "realtime-password-123";
  await requestJson(`${engine.url}/api/collections/${"users"}/records`, { body: { email, password, passwordConfirm: password } });
  const auth = await requestJson<{ token: string }>(`${engine.url}/api/collections/${"users"}/auth-with-password`, {
    body: { identity: email, password },
  });
  const categories = await requestJson<{ items: { id: string }[] }>(`${engine.url}/api/collections/${"categories"}/records`, {
    token: auth.token,
  });
  return { token: auth.token, category: categories.items[0]!.id };
}

async function measure(engine: BenchEngine, user: User, ops: number): Promise<Phase> {
  const records = `${engine.url}/api/collections/${"todos"}/records`;
  let start = performance.now();
  for (let i = 0; i < ops; i++)
    await requestJson(records, { token: user.token, body: { task: `realtime bench ${i}`, category: user.category } });
  const createMs = (performance.now() - start) / ops;
  start = performance.now();
  for (let i = 0; i < ops; i++) await requestJson(`${records}?perPage=50&skipTotal=1`, { token: user.token });
  const listMs = (performance.now() - start) / ops;
  return { createMs, listMs, rssMb: await rssMb(engine.pid) };
}

/** Opens SSE connections and waits for each one's PB_CONNECT event. */
async function openRealtime(url: string, count: number): Promise<http.ClientRequest[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: count });
  const streams: http.ClientRequest[] = [];
  for (let i = 0; i < count; i++) {
    await new Promise<void>((resolve, reject) => {
      const request = http.get(`${url}/api/realtime`, { agent }, (response) => response.once("data", () => resolve()));
      request.once("error", reject);
      streams.push(request);
    });
  }
  return streams;
}

async function rssMb(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return kb ? Math.round(Number(kb) / 1024) : Number.NaN;
}
