// Finding 3 of docs/SECURITY.md: one user could starve everyone else with relation chains that run
// until the engine's 30 s query timeout. Measured as another user's list latency during the attack,
// as a ratio to the same list under an equal flood of harmless lists (never an absolute time: this
// machine is noisy, and other test files run beside this one).
import { beforeAll, describe, expect, it } from "vitest";
import { useTestEngine } from "./support/engine.js";
import { buildWorld, type World } from "./support/fixtures.js";

const engine = useTestEngine();
let w: World;

/** The attack's filter: back and forth through categories, so every todo joins every todo. */
const CHAIN = 'category.todos_via_category.category.todos_via_category.task ?~ "zzz"';
const ATTACKERS = 100;
/** Past this the victim's list counts as starved; long enough to see a 30 s query timeout coming. */
const VICTIM_TIMEOUT_MS = 10_000;

beforeAll(async () => {
  w = await buildWorld(engine());
  // The attacker's own data: a few hundred todos is all it takes (each batch is one transaction).
  for (let batchNo = 0; batchNo < 3; batchNo++) {
    const batch = w.b.client.createBatch();
    for (let i = 0; i < 100; i++) batch.collection("todos").create({ task: `filler ${batchNo}-${i}`, category: w.urgent });
    await batch.send();
  }
});

/** How long user A's plain first page takes, in ms (the victim's everyday request). */
async function victimList(): Promise<number> {
  const started = performance.now();
  await w.a.client.collection("todos").getList(1, 30, { sort: "-created", signal: AbortSignal.timeout(VICTIM_TIMEOUT_MS) });
  return performance.now() - started;
}

async function median(samples: () => Promise<number>, count: number): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < count; i++) values.push(await samples());
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)]!;
}

/**
 * The victim's median latency while one user keeps ATTACKERS lists with `filter` in flight. Any flood
 * slows a 2-core server down; what matters is how much worse the chained filter is than a plain one.
 */
async function victimDuring(filter: string): Promise<{ latency: number; statuses: number[] }> {
  let attacking = true;
  const statuses = new Set<number>();
  const url = `${engine().url}/api/collections/${"todos"}/records?${new URLSearchParams({ filter, perPage: "1" })}`;
  const attacker = async () => {
    while (attacking) {
      statuses.add(
        await fetch(url, { headers: { Authorization: w.b.client.authStore.token } }).then(
          (r) => r.status,
          () => 0,
        ),
      );
    }
  };
  const attack = Promise.all(Array.from({ length: ATTACKERS }, attacker));
  await new Promise((resolve) => setTimeout(resolve, 200)); // let the attack reach the server first
  const latency = await median(() => victimList().catch(() => VICTIM_TIMEOUT_MS), 5);
  attacking = false;
  await attack;
  return { latency, statuses: [...statuses].sort() };
}

describe("one user cannot starve the others with relation chains", () => {
  it("another user's list is no slower under 100 chained filters in flight than under 100 harmless ones", async () => {
    await victimList(); // warm up
    const idle = await median(victimList, 9);
    // Two harmless floods: plain filters that match (the engine slows down empty answers), and filters
    // the guard refuses for another reason (a comment). A refused request is answered at once, so the
    // attackers send more of them per second: the chained flood is compared with the worse of the two.
    const plain = await victimDuring('task ?~ "filler"');
    const refused = await victimDuring('task ?~ "filler" // a comment');
    const chained = await victimDuring(CHAIN);

    const ratio = (ms: number) => `${ms.toFixed(1)} ms (${(ms / Math.max(idle, 1)).toFixed(1)}× idle)`;
    console.log(
      `victim list: idle ${idle.toFixed(1)} ms; under plain filters ${ratio(plain.latency)}; ` +
        `under refused filters ${ratio(refused.latency)}; under chained filters ${ratio(chained.latency)}`,
    );
    expect(plain.statuses).toEqual([200]);
    expect(refused.statuses).toEqual([400]);
    // Without the guard the chained flood starves the victim: 10 s (the timeout), over 100× either flood.
    // Noise from the test files running alongside moves these ratios by 1–4×, hence the margin.
    const harmless = Math.max(plain.latency, refused.latency, 1);
    expect(chained.latency / harmless).toBeLessThan(5);
    expect(chained.statuses).toEqual([400]);
  });
});
