// Concurrent load: many users at once, each doing mixed operations on its own todos against a real
// engine on loopback. Afterwards every user's list on the server must equal exactly what that user's
// successful calls produced, no request may have failed with a 5xx (or no answer), and no response
// may have carried anything of another user. Short profile in `npm test`, long in `npm run test:load`.
import { DEFAULT_HOOKS_POOL } from "../../src/engine/serve.js";
import { afterAll, describe, expect, it } from "vitest";
import { startTestEngine, type TestEngine } from "../support/engine.js";
import { defaultCategoryIds, signUpMany, superuserToken } from "./accounts.js";
import { api, query } from "./http.js";
import { OwnershipRegistry } from "./leaks.js";
import { LoadStats, OP_WEIGHTS, SimulatedUser, type LoadContext } from "./loadModel.js";
import { profile } from "./profile.js";
import { pick, runSeed, seededRng } from "./random.js";
import { report } from "./report.js";

describe(`concurrent load (${profile.name} profile)`, () => {
  let engine: TestEngine | undefined;
  afterAll(async () => {
    await engine?.dispose();
  });

  const { users: userCount, opsPerUser, maxDurationMs, signupParallelism } = profile.load;

  it(
    `${userCount} users × ${opsPerUser} mixed operations: exact final state, no 5xx, no cross-user data`,
    async () => {
      const seed = runSeed();
      // Load as deployed: npm start's pool of hook runtimes, not the quick-start one of other tests.
      engine = await startTestEngine({ hooksPool: DEFAULT_HOOKS_POOL });
      const baseUrl = engine.url;
      const adminToken = await superuserToken(baseUrl, engine.superuser);
      const categories = await defaultCategoryIds(baseUrl, adminToken);

      const signupStarted = Date.now();
      const accounts = await signUpMany(baseUrl, userCount, signupParallelism, "load");
      const signupMs = Date.now() - signupStarted;
      const registry = new OwnershipRegistry();
      for (const account of accounts) {
        registry.claim(account.id, account.id);
        registry.claim(account.email, account.id);
      }

      const stats = new LoadStats();
      const users: SimulatedUser[] = [];
      const context: LoadContext = {
        baseUrl,
        categories,
        registry,
        stats,
        someoneElsesTodo(self, rng) {
          const others = users.filter((user) => user.account.id !== self && user.expected.size > 0);
          return others.length ? pick(rng, [...pick(rng, others).expected.keys()]) : undefined;
        },
      };
      accounts.forEach((account, i) => users.push(new SimulatedUser(context, account, seededRng(seed + i))));

      const started = Date.now();
      const completed = await Promise.all(users.map((user) => user.run(opsPerUser, started + maxDurationMs)));
      const durationMs = Date.now() - started;

      // Final state, user by user, then the global count (rolled-back batches must have left nothing).
      const finalProblems = (await Promise.all(users.map((user) => user.verifyList()))).flat();
      const total = await api(baseUrl, "GET", `/api/collections/${"todos"}/records${query({ perPage: 1, skipTotal: false })}`, {
        token: adminToken,
      });
      const expectedTotal = users.reduce((sum, user) => sum + user.expected.size, 0);
      const totalOps = completed.reduce((sum, n) => sum + n, 0);

      report("load", {
        profile: profile.name,
        seed,
        users: userCount,
        signupMs,
        opsPerUserPlanned: opsPerUser,
        opsCompleted: totalOps,
        httpRequests: stats.requests,
        durationMs,
        opsPerSecond: Math.round((totalOps / durationMs) * 1000),
        requestsPerSecond: Math.round((stats.requests / durationMs) * 1000),
        latencyMs: {
          p50: round(stats.percentile(50)),
          p95: round(stats.percentile(95)),
          p99: round(stats.percentile(99)),
          max: round(stats.percentile(100)),
        },
        opsByKind: stats.ops,
        statuses: Object.fromEntries(stats.statuses),
        finalTodos: expectedTotal,
        problems: stats.problemCount + finalProblems.length,
      });

      expect(stats.problems, "5xx, unanswered requests, leaks or state mismatches during the run").toEqual([]);
      expect(finalProblems, "final per-user lists differ from what the users' successful calls produced").toEqual([]);
      expect([...stats.statuses.keys()].filter((status) => status === 0 || status >= 500)).toEqual([]);
      expect((total.body as { totalItems: number }).totalItems, "todos on the server vs. todos acknowledged to users").toBe(expectedTotal);
      // The time bound is a safety net, not the plan: every user must have finished its operations.
      expect(completed, `operations completed per user within ${maxDurationMs} ms`).toEqual(users.map(() => opsPerUser));
      expect(Object.keys(stats.ops).every((kind) => stats.ops[kind as keyof typeof OP_WEIGHTS] > 0)).toBe(true);
    },
    profile.testTimeoutMs,
  );
});

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
