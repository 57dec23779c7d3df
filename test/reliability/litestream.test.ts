// Continuous replication with Litestream (docs/SCALING.md): the shipped deploy/litestream/litestream.yml
// replicates the engine's data.db to a real S3 server (moto) while writers create todos. Then the engine
// and Litestream are both SIGKILLed mid-write (the disk survives, the processes do not), Litestream alone
// is started again and stopped cleanly (it ships what the WAL still holds), the data dir is thrown away,
// and a fresh one is restored from the bucket: every write that was acknowledged must be there, and
// SQLite's integrity_check must pass. Long profile only (npm run test:load): it needs a Go-built
// Litestream (.ci/install-litestream.sh) and takes a while.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa, type ResultPromise } from "execa";
import { projectRoot } from "../../src/paths.js";
import { startTestEngine, type TestEngine } from "../support/engine.js";
import { startMoto, type MotoServer } from "../support/moto.js";
import { LITESTREAM, MOTO, requireTool, toolUnavailableReason } from "../support/tools.js";
import { defaultCategoryIds, signUpMany, superuserToken, type Account } from "./accounts.js";
import { api } from "./http.js";
import { hooksWithIntegrityRoute, integrityCheck } from "./integrity.js";
import { profile } from "./profile.js";
import { report } from "./report.js";

const CONFIG = path.join(projectRoot, "deploy", "litestream", "litestream.yml");
const BUCKET = "litestream-replica";
/** Writers, acknowledged writes before the kill, and kill/restore cycles. */
const PLAN = { writers: 8, ackedBeforeKill: 1_500, cycles: 3 };

const longOnly = profile.name === "long" ? null : "long profile only: npm run test:load -- litestream";
const unavailable = longOnly ?? toolUnavailableReason(LITESTREAM) ?? toolUnavailableReason(MOTO);
if (unavailable && !longOnly) console.warn(`[litestream test skipped] ${unavailable}`);

describe.skipIf(unavailable !== null)(
  `Litestream continuous replication (${unavailable ? `skipped: ${unavailable}` : profile.name})`,
  () => {
    let s3: MotoServer;
    let hooks: Awaited<ReturnType<typeof hooksWithIntegrityRoute>>;
    const cleanup: string[] = [];

    beforeAll(async () => {
      s3 = await startMoto();
      await s3.createBucket(BUCKET);
      hooks = await hooksWithIntegrityRoute();
    });
    afterAll(async () => {
      await s3?.stop();
      await hooks?.dispose();
      for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
    });

    for (let cycle = 1; cycle <= PLAN.cycles; cycle++) {
      it(
        `cycle ${cycle}: SIGKILL mid-write, restore from the bucket into a fresh data dir, nothing acknowledged lost`,
        async () => {
          const dataDir = await mkdtemp(path.join(tmpdir(), "litestream-data-"));
          const restoredDir = await mkdtemp(path.join(tmpdir(), "litestream-restored-"));
          const env = litestreamEnv(s3.url, dataDir, `s3://${BUCKET}/cycle-${cycle}/data.db`);
          cleanup.push(dataDir, restoredDir, env.LITESTREAM_SOCKET!);

          const engine = await startTestEngine({ dataDir, hooksDir: hooks.hooksDir });
          let replicate = startLitestream(["replicate", "-config", CONFIG], env);
          await until(async () => (await s3.list(BUCKET, `cycle-${cycle}/`)).length > 0, "Litestream's first snapshot");

          const token = await superuserToken(engine.url, engine.superuser);
          const [category] = (await defaultCategoryIds(engine.url, token)) as [string];
          const accounts = await signUpMany(engine.url, PLAN.writers, 2, `ls${cycle}`);
          const acked: string[] = [];
          let stop = false;
          const writers = accounts.map((account) => writeUntilStopped(engine.url, account, category, acked, () => stop));
          await until(() => Promise.resolve(acked.length >= PLAN.ackedBeforeKill), "acknowledged writes", 120_000);

          // The crash: both processes die at once, mid-write; the disk (data.db + its WAL) survives.
          engine.running.process.kill("SIGKILL");
          replicate.process.kill("SIGKILL");
          await Promise.all([engine.running.process, replicate.process]);
          stop = true;
          await Promise.all(writers);
          const ackedAtKill = [...acked];

          // Litestream comes back first (the engine stays down) and catches up from the WAL: `sync -wait`
          // returns once the bucket holds every committed transaction. Then it stops cleanly.
          replicate = startLitestream(["replicate", "-config", CONFIG], env);
          await until(() => Promise.resolve(replicate.output().includes("control socket listening")), "Litestream's control socket");
          const sync = await execa(
            requireTool(LITESTREAM),
            ["sync", "-wait", "-timeout", "60", "-socket", env.LITESTREAM_SOCKET!, path.join(dataDir, "data.db")],
            {
              env,
              extendEnv: false,
              all: true,
              reject: false,
            },
          );
          expect(sync.exitCode, sync.all).toBe(0);
          replicate.process.kill("SIGTERM");
          const stopped = await replicate.process;
          expect(stopped.exitCode, replicate.output()).toBe(0);
          expect(replicate.output()).toContain("litestream shut down");

          // The machine is gone: restore into a fresh data dir, start the engine on it.
          await rm(dataDir, { recursive: true, force: true });
          const restore = await execa(
            requireTool(LITESTREAM),
            ["restore", "-config", CONFIG, "-o", path.join(restoredDir, "data.db"), path.join(dataDir, "data.db")],
            {
              env,
              extendEnv: false,
              all: true,
              reject: false,
            },
          );
          expect(restore.exitCode, restore.all).toBe(0);
          const restored: TestEngine = await startTestEngine({ dataDir: restoredDir, hooksDir: hooks.hooksDir });
          try {
            const adminToken = await superuserToken(restored.url, restored.superuser);
            expect(await integrityCheck(restored.url, adminToken)).toEqual({ data: ["ok"], auxiliary: ["ok"] });
            const present = new Set<string>();
            for (let page = 1; ; page++) {
              const list = await api(
                restored.url,
                "GET",
                `/api/collections/todos/records?perPage=1000&page=${page}&fields=id&skipTotal=1`,
                { token: adminToken },
              );
              const items = (list.body as { items: Array<{ id: string }> }).items;
              for (const item of items) present.add(item.id);
              if (items.length < 1000) break;
            }
            const lost = ackedAtKill.filter((id) => !present.has(id));
            report(`litestream-cycle-${cycle}`, { acknowledged: ackedAtKill.length, restored: present.size, lost: lost.length });
            expect(lost).toEqual([]);
            expect(present.size).toBeGreaterThanOrEqual(ackedAtKill.length);
          } finally {
            await restored.dispose();
          }
        },
        profile.testTimeoutMs,
      );
    }
  },
);

/** The environment Litestream runs with: only what the shipped config reads, plus credentials. */
function litestreamEnv(endpoint: string, dataDir: string, replicaUrl: string): Record<string, string> {
  return {
    PATH: "/usr/bin:/bin",
    PB_DATA_DIR: dataDir,
    LITESTREAM_REPLICA_URL: replicaUrl,
    LITESTREAM_S3_ENDPOINT: endpoint,
    LITESTREAM_S3_REGION: "us-east-1",
    LITESTREAM_S3_FORCE_PATH_STYLE: "true",
    LITESTREAM_ACCESS_KEY_ID: "test-access-key",
    LITESTREAM_SECRET_ACCESS_KEY: "test-secret",
    LITESTREAM_SOCKET: path.join(dataDir, "..", `${path.basename(dataDir)}.litestream.sock`),
  };
}

function startLitestream(args: string[], env: Record<string, string>): { process: ResultPromise; output(): string } {
  const child = execa(requireTool(LITESTREAM), args, { env, extendEnv: false, all: true, buffer: false, reject: false });
  let output = "";
  child.all?.setEncoding("utf8");
  child.all?.on("data", (chunk: string) => (output += chunk));
  return { process: child, output: () => output };
}

/** Creates todos one after another until told to stop; records the id of every acknowledged (200) create. */
async function writeUntilStopped(url: string, account: Account, category: string, acked: string[], stopped: () => boolean): Promise<void> {
  for (let i = 0; !stopped(); i++) {
    const response = await api(url, "POST", "/api/collections/todos/records", {
      token: account.token,
      json: { task: `${account.email} #${i}`, category },
      timeoutMs: 5_000,
    });
    if (response.status === 200) acked.push((response.body as { id: string }).id);
    else if (response.status === 0) return; // the engine is gone
  }
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
