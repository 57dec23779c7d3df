// Crash safety: SIGKILL the engine in the middle of concurrent writes, restart it on the same data
// dir, and check that every write acknowledged with a 2xx is there with its acknowledged value, that
// SQLite's integrity_check passes, and that the server serves again. Repeated several times in one
// run on one data dir. Then the same with SIGTERM, which must also shut the engine down cleanly.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEngine, type TestEngine } from "../support/engine.js";
import { defaultCategoryIds, signUpMany, superuserToken } from "./accounts.js";
import { CrashWriter } from "./crashModel.js";
import { api } from "./http.js";
import { hooksWithIntegrityRoute, integrityCheck } from "./integrity.js";
import { profile } from "./profile.js";
import { intBetween, runSeed, seededRng } from "./random.js";
import { report } from "./report.js";

const { killCycles, writers: writerCount, killAfterMs, termCycles } = profile.crash;

describe(`crash safety (${profile.name} profile)`, () => {
  let engine: TestEngine;
  let hooks: Awaited<ReturnType<typeof hooksWithIntegrityRoute>>;
  /** One writer per account, kept across both tests so each knows everything it ever wrote. */
  let writers: CrashWriter[];
  let category: string;
  const seed = runSeed();
  const rng = seededRng(seed);

  beforeAll(async () => {
    console.log(`[reliability] crash seed ${seed} (replay: npm run test:load -- --seed ${seed} crash)`);
    hooks = await hooksWithIntegrityRoute();
    engine = await startTestEngine({ hooksDir: hooks.hooksDir });
    const accounts = await signUpMany(engine.url, writerCount, 2, "writer");
    [category] = (await defaultCategoryIds(engine.url, await superuserToken(engine.url, engine.superuser))) as [string];
    writers = accounts.map((account, i) => new CrashWriter(account, category, seededRng(seed + 1000 + i)));
  });
  afterAll(async () => {
    await engine?.dispose();
    await hooks?.dispose();
  });

  /** Runs the writers, stops the engine with `signal` at a random moment, restarts, and checks everything. */
  async function cycle(active: CrashWriter[], signal: "SIGKILL" | "SIGTERM") {
    const runs = active.map((writer) => writer.run(engine.url));
    const acked = () => active.reduce((sum, w) => sum + w.tally.acked, 0);
    const ackedAtStart = acked();
    const delay = intBetween(rng, killAfterMs[0], killAfterMs[1]);
    await sleep(delay);
    // On a very busy machine the first acknowledgement can take longer than the delay: a kill before any
    // write was acknowledged would prove nothing, so wait for one (bounded).
    for (let waited = 0; acked() === ackedAtStart && waited < 10_000; waited += 50) await sleep(50);
    const ackedBefore = acked() - ackedAtStart;
    const child = engine.running.process;
    child.kill(signal);
    const result = await child;
    for (const writer of active) writer.stop();
    await Promise.all(runs);
    const walAfterStop = walSize(engine.dataDir);

    await engine.restart();
    const health = await api(engine.url, "GET", "/api/health");
    const token = await superuserToken(engine.url, engine.superuser);
    const integrity = await integrityCheck(engine.url, token);
    const problems = (await Promise.all(writers.map((writer) => writer.verifyAndReconcile(engine.url)))).flat();
    // Serves again: a user can write and read back right away.
    const probe = active[0]!.account;
    const created = await api(engine.url, "POST", `/api/collections/${"todos"}/records`, {
      token: probe.token,
      json: { task: "after restart", category },
    });
    const deleted =
      created.status === 200
        ? await api(engine.url, "DELETE", `/api/collections/${"todos"}/records/${(created.body as { id: string }).id}`, {
            token: probe.token,
          })
        : created;
    return { delay, ackedBefore, result, walAfterStop, health, integrity, problems, created, deleted };
  }

  it(
    `SIGKILL during concurrent writes, ${killCycles} times: acknowledged writes survive, integrity ok, serves again`,
    async () => {
      const cycles = [];
      for (let i = 0; i < killCycles; i++) {
        const c = await cycle(writers, "SIGKILL");
        cycles.push({
          killAfterMs: c.delay,
          ackedWrites: writers.reduce((sum, w) => sum + w.tally.acked, 0),
          walBytesAtKill: c.walAfterStop,
          integrity: c.integrity,
        });
        expect(c.result.signal, `cycle ${i + 1}: the engine died of SIGKILL`).toBe("SIGKILL");
        expect(c.ackedBefore, `cycle ${i + 1}: writes were acknowledged before the kill`).toBeGreaterThan(0);
        expect(c.health.status, `cycle ${i + 1}: healthy after restart`).toBe(200);
        expect(c.integrity, `cycle ${i + 1}: PRAGMA integrity_check`).toEqual({ data: ["ok"], auxiliary: ["ok"] });
        expect(c.problems, `cycle ${i + 1}: acknowledged writes vs. the data after restart`).toEqual([]);
        expect([c.created.status, c.deleted.status], `cycle ${i + 1}: create + delete after restart`).toEqual([200, 204]);
      }
      const failures = writers.flatMap((w) => w.tally.failures);
      report("crash-sigkill", {
        profile: profile.name,
        seed,
        cycles: killCycles,
        writers: writers.length,
        acknowledgedWrites: writers.reduce((sum, w) => sum + w.tally.acked, 0),
        unknownAtKill: writers.reduce((sum, w) => sum + w.tally.unknown, 0),
        liveTodos: writers.reduce((sum, w) => sum + w.liveCount(), 0),
        perCycle: cycles,
        nonNetworkFailures: failures.length,
      });
      expect(failures, "writes refused by a live engine (4xx/5xx)").toEqual([]);
    },
    profile.testTimeoutMs,
  );

  it(
    `SIGTERM under light load, ${termCycles} time(s): exits by itself, cleanly, nothing acknowledged is lost`,
    async () => {
      const light = writers.slice(0, Math.max(2, Math.floor(writers.length / 4)));
      const ackedAtStart = light.reduce((sum, w) => sum + w.tally.acked, 0);
      const cycles = [];
      for (let i = 0; i < termCycles; i++) {
        const c = await cycle(light, "SIGTERM");
        cycles.push({
          stopAfterMs: c.delay,
          exitCode: c.result.exitCode,
          forceKilled: c.result.isForcefullyTerminated,
          walBytesAfterStop: c.walAfterStop,
        });
        // execa sends SIGKILL after its 10 s grace period: the engine must have exited on its own before that.
        expect(c.result.isForcefullyTerminated, `cycle ${i + 1}: needed a SIGKILL after SIGTERM`).toBe(false);
        expect(c.result.signal, `cycle ${i + 1}: exit signal`).toBeUndefined();
        expect(c.result.exitCode, `cycle ${i + 1}: exit code`).toBe(0);
        // A clean close checkpoints the write-ahead log into data.db and removes it.
        expect(c.walAfterStop, `cycle ${i + 1}: data.db-wal left after a graceful stop`).toBe(0);
        expect(c.ackedBefore).toBeGreaterThan(0);
        expect(c.integrity).toEqual({ data: ["ok"], auxiliary: ["ok"] });
        expect(c.problems).toEqual([]);
        expect([c.created.status, c.deleted.status]).toEqual([200, 204]);
      }
      // On SIGTERM the engine cancels the context of requests in flight (apis/serve.go, 1 s grace): those
      // are answered 400 and rolled back (the checks above prove nothing of them was written). Never a 5xx.
      const failures = light.flatMap((w) => w.tally.failures);
      report("crash-sigterm", {
        profile: profile.name,
        seed,
        cycles: termCycles,
        writers: light.length,
        acknowledgedWrites: light.reduce((sum, w) => sum + w.tally.acked, 0) - ackedAtStart,
        perCycle: cycles,
        refusedInFlightAtStop: failures.length,
      });
      expect(failures.filter((f) => f.status >= 500)).toEqual([]);
    },
    profile.testTimeoutMs,
  );
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Size of data.db's write-ahead log (0 when absent). */
function walSize(dataDir: string): number {
  const wal = path.join(dataDir, "data.db-wal");
  return existsSync(wal) ? statSync(wal).size : 0;
}
