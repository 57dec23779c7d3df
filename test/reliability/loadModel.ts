// One simulated user of the load scenario. It works sequentially (like a person in one browser tab)
// and keeps what its own successful calls should have produced; because nobody else may touch its
// todos, every list it reads must equal that expectation exactly, at any moment, not only at the end.
import type { Account } from "./accounts.js";
import { api, describeResponse, query, type ApiResponse, type RequestOptions } from "./http.js";
import { findLeaks, type OwnershipRegistry } from "./leaks.js";
import { intBetween, pick, weighted, type Rng } from "./random.js";

export interface TodoState {
  task: string;
  done: boolean;
  category: string;
}

export const OP_WEIGHTS = {
  create: 22,
  list: 12,
  listDone: 4,
  view: 8,
  update: 12,
  toggle: 12,
  delete: 10,
  batch: 8,
  batchRollback: 3,
  probeOther: 9,
} as const;

export type OpKind = keyof typeof OP_WEIGHTS;

/** Shared by all simulated users of one run: where to send requests, and what was seen. */
export interface LoadContext {
  baseUrl: string;
  categories: string[];
  registry: OwnershipRegistry;
  stats: LoadStats;
  /** A live todo id of some other user (for cross-user probes), if any exists. */
  someoneElsesTodo(self: string, rng: Rng): string | undefined;
}

export class LoadStats {
  readonly ops: Record<OpKind, number> = Object.fromEntries(Object.keys(OP_WEIGHTS).map((k) => [k, 0])) as Record<OpKind, number>;
  readonly statuses = new Map<number, number>();
  readonly latenciesMs: number[] = [];
  /** Everything that went wrong: 5xx, network errors, leaks, state mismatches (capped). */
  readonly problems: string[] = [];
  problemCount = 0;
  requests = 0;

  problem(text: string): void {
    this.problemCount++;
    if (this.problems.length < 50) this.problems.push(text);
  }

  /** Latency percentile in ms (p in [0, 100]). */
  percentile(p: number): number {
    const sorted = [...this.latenciesMs].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;
  }
}

const TODOS = `/api/collections/${"todos"}/records`;
/** Keep each user's list small enough to read in one page and compare in full. */
const MAX_OWN_TODOS = 30;

interface TodoBody {
  id: string;
  task: string;
  done: boolean;
  category: string;
  owner: string;
}

export class SimulatedUser {
  readonly expected = new Map<string, TodoState>();
  private created = 0;

  constructor(
    private readonly ctx: LoadContext,
    readonly account: Account,
    private readonly rng: Rng,
  ) {}

  /** Performs up to `ops` random operations, stopping early at `deadline` (epoch ms). */
  async run(ops: number, deadline: number): Promise<number> {
    let done = 0;
    while (done < ops && Date.now() < deadline) {
      await this.step();
      done++;
    }
    return done;
  }

  /** Reads the user's whole list and compares it with the expectation; returns the differences. */
  async verifyList(): Promise<string[]> {
    const path = `${TODOS}${query({ perPage: 1000, sort: "created" })}`;
    const response = await this.call("GET", path);
    if (response.status !== 200) return [`final list: ${describeResponse("GET", path, response)}`];
    return this.compare((response.body as { items: TodoBody[] }).items, () => true, "list");
  }

  private async step(): Promise<void> {
    let kind = weighted(this.rng, OP_WEIGHTS);
    const own = this.expected.size;
    if (own === 0 && ["view", "update", "toggle", "delete"].includes(kind)) kind = "create";
    if (own >= MAX_OWN_TODOS && (kind === "create" || kind === "batch")) kind = "delete";
    this.ctx.stats.ops[kind]++;
    await this[kind]();
  }

  private newTask(): string {
    const task = `${this.account.email.split("@")[0]} t${++this.created} ${Math.floor(this.rng() * 1e9).toString(36)}`;
    this.ctx.registry.claim(task, this.account.id);
    return task;
  }

  private newTodo(): TodoState {
    return { task: this.newTask(), done: this.rng() < 0.3, category: pick(this.rng, this.ctx.categories) };
  }

  private ownId(): string {
    return pick(this.rng, [...this.expected.keys()]);
  }

  /** Sends a request as this user; counts it and checks the response for 5xx, hangs and leaks. */
  private async call(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const started = performance.now();
    const response = await api(this.ctx.baseUrl, method, path, { ...options, token: this.account.token });
    const stats = this.ctx.stats;
    stats.requests++;
    stats.latenciesMs.push(performance.now() - started);
    stats.statuses.set(response.status, (stats.statuses.get(response.status) ?? 0) + 1);
    if (response.status === 0 || response.status >= 500) stats.problem(`server failure: ${describeResponse(method, path, response)}`);
    for (const leak of findLeaks(response.body, this.account.id, this.ctx.registry)) {
      stats.problem(`LEAK to ${this.account.id} in ${method} ${path}: ${leak.path}: ${leak.problem}`);
    }
    return response;
  }

  /** Accepts a todo body the server returned for a write; records it as expected. */
  private accept(body: TodoBody, wanted: TodoState, what: string): void {
    if (body.owner !== this.account.id || body.task !== wanted.task || body.done !== wanted.done || body.category !== wanted.category) {
      this.ctx.stats.problem(`${what}: server returned ${JSON.stringify(body)}, expected ${JSON.stringify(wanted)}`);
    }
    this.expected.set(body.id, wanted);
    this.ctx.registry.claim(body.id, this.account.id);
  }

  private expectStatus(response: ApiResponse, status: number, method: string, path: string): boolean {
    if (response.status === status) return true;
    if (response.status > 0 && response.status < 500) this.ctx.stats.problem(`unexpected: ${describeResponse(method, path, response)}`);
    return false;
  }

  private async create(): Promise<void> {
    const todo = this.newTodo();
    const response = await this.call("POST", TODOS, { json: todo });
    if (this.expectStatus(response, 200, "POST", TODOS)) this.accept(response.body as TodoBody, todo, "create");
  }

  private async list(): Promise<void> {
    const path = `${TODOS}${query({ perPage: 1000, sort: "-created" })}`;
    const response = await this.call("GET", path);
    if (!this.expectStatus(response, 200, "GET", path)) return;
    for (const problem of this.compare((response.body as { items: TodoBody[] }).items, () => true, "list")) this.ctx.stats.problem(problem);
  }

  private async listDone(): Promise<void> {
    const path = `${TODOS}${query({ perPage: 1000, filter: "done = true" })}`;
    const response = await this.call("GET", path);
    if (!this.expectStatus(response, 200, "GET", path)) return;
    for (const problem of this.compare((response.body as { items: TodoBody[] }).items, (t) => t.done, "list done"))
      this.ctx.stats.problem(problem);
  }

  private async view(): Promise<void> {
    const id = this.ownId();
    const path = `${TODOS}/${id}`;
    const response = await this.call("GET", path);
    if (!this.expectStatus(response, 200, "GET", path)) return;
    const body = response.body as TodoBody;
    const wanted = this.expected.get(id)!;
    if (body.task !== wanted.task || body.done !== wanted.done || body.category !== wanted.category) {
      this.ctx.stats.problem(`view ${id}: got ${JSON.stringify(body)}, expected ${JSON.stringify(wanted)}`);
    }
  }

  private async update(): Promise<void> {
    const id = this.ownId();
    const wanted = { ...this.expected.get(id)!, task: this.newTask(), category: pick(this.rng, this.ctx.categories) };
    const path = `${TODOS}/${id}`;
    const response = await this.call("PATCH", path, { json: { task: wanted.task, category: wanted.category } });
    if (this.expectStatus(response, 200, "PATCH", path)) this.accept(response.body as TodoBody, wanted, "update");
  }

  private async toggle(): Promise<void> {
    const id = this.ownId();
    const wanted = { ...this.expected.get(id)!, done: !this.expected.get(id)!.done };
    const path = `${TODOS}/${id}`;
    const response = await this.call("PATCH", path, { json: { done: wanted.done } });
    if (this.expectStatus(response, 200, "PATCH", path)) this.accept(response.body as TodoBody, wanted, "toggle");
  }

  private async delete(): Promise<void> {
    const id = this.ownId();
    const path = `${TODOS}/${id}`;
    const response = await this.call("DELETE", path);
    if (this.expectStatus(response, 204, "DELETE", path)) this.expected.delete(id);
  }

  /** Creates a few and deletes a few in one atomic batch. */
  private async batch(): Promise<void> {
    const creates = Array.from({ length: intBetween(this.rng, 1, 4) }, () => this.newTodo());
    const deletes = [...new Set(Array.from({ length: Math.min(this.expected.size, intBetween(this.rng, 0, 2)) }, () => this.ownId()))];
    const requests = [
      ...creates.map((todo) => ({ method: "POST", url: TODOS, body: todo })),
      ...deletes.map((id) => ({ method: "DELETE", url: `${TODOS}/${id}` })),
    ];
    const response = await this.call("POST", "/api/batch", { json: { requests } });
    if (!this.expectStatus(response, 200, "POST", "/api/batch")) return;
    const results = response.body as Array<{ status: number; body: unknown }>;
    creates.forEach((todo, i) => {
      const result = results[i];
      if (result?.status === 200) this.accept(result.body as TodoBody, todo, "batch create");
      else this.ctx.stats.problem(`batch create ${i}: ${JSON.stringify(result)}`);
    });
    deletes.forEach((id, i) => {
      const result = results[creates.length + i];
      if (result?.status === 204) this.expected.delete(id);
      else this.ctx.stats.problem(`batch delete ${id}: ${JSON.stringify(result)}`);
    });
  }

  /** A batch whose last request is invalid: the whole batch must be refused and nothing created. */
  private async batchRollback(): Promise<void> {
    const creates = [this.newTodo(), this.newTodo()];
    const requests = [
      ...creates.map((todo) => ({ method: "POST", url: TODOS, body: todo })),
      { method: "POST", url: TODOS, body: { task: "", category: this.ctx.categories[0] } },
    ];
    const response = await this.call("POST", "/api/batch", { json: { requests } });
    // Nothing is added to the expectation: the list checks prove the two valid creates were rolled back.
    this.expectStatus(response, 400, "POST", "/api/batch");
  }

  /** Tries to read, change and delete another user's todo: each must look like it does not exist. */
  private async probeOther(): Promise<void> {
    const id = this.ctx.someoneElsesTodo(this.account.id, this.rng);
    if (!id) return;
    const path = `${TODOS}/${id}`;
    for (const [method, options] of [
      ["GET", {}],
      ["PATCH", { json: { task: "taken over", done: true } }],
      ["DELETE", {}],
    ] as const) {
      const response = await this.call(method, path, options);
      if (response.status !== 404 && response.status > 0 && response.status < 500) {
        this.ctx.stats.problem(`cross-user ${describeResponse(method, path, response)} (expected 404)`);
      }
    }
  }

  /** Differences between the items the server listed and the expected todos matching `keep`. */
  private compare(items: TodoBody[], keep: (todo: TodoState) => boolean, what: string): string[] {
    const problems: string[] = [];
    const wanted = new Map([...this.expected].filter(([, todo]) => keep(todo)));
    const seen = new Set<string>();
    for (const item of items) {
      seen.add(item.id);
      const expected = wanted.get(item.id);
      if (!expected) problems.push(`${what} of ${this.account.id}: unexpected todo ${JSON.stringify(item)}`);
      else if (item.task !== expected.task || item.done !== expected.done || item.category !== expected.category) {
        problems.push(`${what} of ${this.account.id}: ${item.id} is ${JSON.stringify(item)}, expected ${JSON.stringify(expected)}`);
      }
    }
    for (const id of wanted.keys()) if (!seen.has(id)) problems.push(`${what} of ${this.account.id}: acknowledged todo ${id} is missing`);
    return problems;
  }
}
