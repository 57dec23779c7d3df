// npm run bench -- --startup: how long each way of starting takes, against the bare engine, measured in
// one run (ratios are what carry over between machines). Time to healthy is measured from the launch of
// the command to the first 200 from /api/health; one-shot commands are measured to their exit.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, prepareEngine, startEphemeralEngine } from "../src/engine/index.js";
import { projectPaths } from "../src/paths.js";

export interface StartupRow {
  what: string;
  /** Median seconds of `runs` measurements. */
  medianSec: number;
  /** medianSec ÷ the bare engine's. */
  ratio: number;
}

const RUNS = 5;

/** Seconds from spawning `command` until /api/health answers 200 on `port`; the process group is then killed. */
async function timeToHealthy(command: string, args: string[], env: NodeJS.ProcessEnv, port: number): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, { env, stdio: "ignore", detached: true, cwd: projectPaths.root });
  let exited = false;
  child.on("exit", () => (exited = true));
  try {
    for (;;) {
      if (exited) throw new Error(`${command} ${args.join(" ")} exited before it was healthy`);
      const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return (performance.now() - started) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    if (child.pid) process.kill(-child.pid, "SIGTERM");
    await new Promise((resolve) => (exited ? resolve(null) : child.on("exit", resolve)));
  }
}

/** Seconds from spawning `command` until it exits (0 required). */
async function timeToExit(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, { env, stdio: "ignore", cwd: projectPaths.root });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${code}`);
  return (performance.now() - started) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Measures every way of starting, `RUNS` times each, interleaved so that machine noise hits all alike. */
export async function measureStartup(log: (line: string) => void): Promise<StartupRow[]> {
  const { binary } = await prepareEngine({ log: () => {} });
  const scratch = await mkdtemp(path.join(tmpdir(), "pb-startup-"));
  try {
    const dataDir = path.join(scratch, "data");
    const empty = path.join(scratch, "empty");
    const base = { ...process.env, PB_DATA_DIR: dataDir, PB_RATE_LIMITS: "off", POCKETBASE_BIN: "" };
    const engineArgs = (port: number, own: boolean) => [
      "serve",
      `--http=127.0.0.1:${port}`,
      `--dir=${dataDir}`,
      `--migrationsDir=${own ? projectPaths.migrationsBuild : empty}`,
      `--hooksDir=${own ? projectPaths.hooksBuild : empty}`,
      `--publicDir=${projectPaths.publicDir}`,
      "--hooksWatch=false",
      ...(own ? ["--hooksPool=256"] : []),
    ];
    await timeToExit(process.execPath, [path.join(projectPaths.root, "scripts", "run.mjs"), "engine"], base); // bundle + build are current
    const cases: Array<[string, () => Promise<number>]> = [
      [
        "bare engine (no hooks, default pool)",
        async () => {
          const port = await freePort();
          return timeToHealthy(binary, engineArgs(port, false), base, port);
        },
      ],
      [
        "engine with the project's hooks and pool of 256",
        async () => {
          const port = await freePort();
          return timeToHealthy(binary, engineArgs(port, true), base, port);
        },
      ],
      [
        "npm start (nothing changed)",
        async () => {
          const port = await freePort();
          return timeToHealthy("npm", ["start"], { ...base, PB_HTTP: `127.0.0.1:${port}` }, port);
        },
      ],
      [
        "node scripts/run.mjs start (npm start without npm)",
        async () => {
          const port = await freePort();
          return timeToHealthy(process.execPath, ["scripts/run.mjs", "start"], { ...base, PB_HTTP: `127.0.0.1:${port}` }, port);
        },
      ],
      [
        "test engine (startEphemeralEngine, fresh data dir)",
        async () => {
          const started = performance.now();
          const engine = await startEphemeralEngine({ binary });
          const seconds = (performance.now() - started) / 1000;
          await engine.dispose();
          return seconds;
        },
      ],
      [
        "npm run superuser (creates or updates, engine CLI)",
        () => timeToExit("npm", ["run", "--silent", "superuser", "--", "bench@example.com", "bench-password-1"], base),
      ],
      [
        "npm run backup (offline: the engine writes the archive)",
        () =>
          timeToExit("npm", ["run", "--silent", "backup", "--", "--out", path.join(scratch, `backup-${Date.now()}.zip`)], {
            ...base,
            PB_HTTP: "127.0.0.1:1",
          }),
      ],
      ["npm run seed -- --help (launch only)", () => timeToExit("npm", ["run", "--silent", "seed", "--", "--help"], base)],
    ];
    const samples = new Map(cases.map(([what]) => [what, [] as number[]]));
    for (let run = 0; run < RUNS; run++) {
      for (const [what, measure] of cases) samples.get(what)!.push(await measure());
      log(`  startup run ${run + 1}/${RUNS} done`);
    }
    const bare = median(samples.get(cases[0]![0])!);
    return cases.map(([what]) => {
      const seconds = median(samples.get(what)!);
      return { what, medianSec: Math.round(seconds * 1000) / 1000, ratio: Math.round((seconds / bare) * 100) / 100 };
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export function formatStartup(rows: readonly StartupRow[]): string {
  return [
    "| how | median (s) | × bare engine |",
    "|---|---:|---:|",
    ...rows.map((row) => `| ${row.what} | ${row.medianSec.toFixed(3)} | ${row.ratio.toFixed(2)}× |`),
  ].join("\n");
}
