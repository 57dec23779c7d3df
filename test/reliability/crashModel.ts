// A writer for the crash scenarios. It writes its own todos sequentially and remembers, per todo,
// the last state the server acknowledged with a 2xx. The one request in flight when the engine dies
// is "unknown": it may or may not have happened, and the checks accept either outcome (but for a
// batch, only all-or-nothing). Everything acknowledged must survive the crash exactly.
import type { Account } from "./accounts.js";
import { api, query, type ApiResponse } from "./http.js";
import { intBetween, pick, weighted, type Rng } from "./random.js";

interface Todo {
  task: string;
  done: boolean;
}

type InFlight = { kind: "create"; tasks: string[] } | { kind: "update"; id: string; next: Todo } | { kind: "delete"; id: string };

const TODOS = `/api/collections/${"todos"}/records`;
const MAX_LIVE = 40;

export interface WriterTally {
  acked: number;
  unknown: number;
  /** Non-2xx answers (network errors excluded): the write did not happen, and the checks hold it to that. */
  failures: Array<{ what: string; status: number; body: string }>;
}

export class CrashWriter {
  /** Last acknowledged state of each todo this writer ever created; null = acknowledged deleted. */
  private readonly acked = new Map<string, Todo | null>();
  private inFlight: InFlight | undefined;
  private unknown: InFlight | undefined;
  private counter = 0;
  private stopped = false;
  readonly tally: WriterTally = { acked: 0, unknown: 0, failures: [] };

  constructor(
    readonly account: Account,
    private readonly category: string,
    private readonly rng: Rng,
  ) {}

  /** Writes until the engine stops answering (or `stop()` is called). */
  async run(baseUrl: string): Promise<void> {
    this.stopped = false;
    this.unknown = undefined;
    while (!this.stopped) {
      const response = await this.step(baseUrl);
      if (response.status === 0) {
        // No answer: the engine went away mid-request. The outcome is unknown; stop writing.
        this.unknown = this.inFlight;
        if (this.unknown) this.tally.unknown++;
        return;
      }
      this.inFlight = undefined;
    }
  }

  stop(): void {
    this.stopped = true;
  }

  liveCount(): number {
    return [...this.acked.values()].filter((todo) => todo !== null).length;
  }

  private live(): string[] {
    return [...this.acked].filter(([, todo]) => todo !== null).map(([id]) => id);
  }

  private task(): string {
    return `${this.account.id} w${++this.counter}`;
  }

  private async step(baseUrl: string): Promise<ApiResponse> {
    const live = this.live();
    let kind = weighted(this.rng, { create: 4, batch: 2, update: 4, delete: 2 });
    if (live.length === 0) kind = "create";
    if (live.length >= MAX_LIVE && (kind === "create" || kind === "batch")) kind = "delete";
    const token = this.account.token;

    if (kind === "create" || kind === "batch") {
      const todos = Array.from({ length: kind === "batch" ? intBetween(this.rng, 2, 4) : 1 }, () => ({ task: this.task(), done: false }));
      this.inFlight = { kind: "create", tasks: todos.map((todo) => todo.task) };
      const response =
        kind === "batch"
          ? await api(baseUrl, "POST", "/api/batch", {
              token,
              json: { requests: todos.map((body) => ({ method: "POST", url: TODOS, body: { ...body, category: this.category } })) },
            })
          : await api(baseUrl, "POST", TODOS, { token, json: { ...todos[0], category: this.category } });
      if (response.status === 200) {
        const bodies =
          kind === "batch" ? (response.body as Array<{ body: { id: string } }>).map((r) => r.body) : [response.body as { id: string }];
        bodies.forEach((body, i) => this.acked.set(body.id, todos[i]!));
        this.tally.acked++;
      } else this.fail("create", response);
      return response;
    }

    const id = pick(this.rng, live);
    if (kind === "update") {
      const next = { task: this.task(), done: this.rng() < 0.5 };
      this.inFlight = { kind: "update", id, next };
      const response = await api(baseUrl, "PATCH", `${TODOS}/${id}`, { token, json: next });
      if (response.status === 200) {
        this.acked.set(id, next);
        this.tally.acked++;
      } else this.fail("update", response);
      return response;
    }
    this.inFlight = { kind: "delete", id };
    const response = await api(baseUrl, "DELETE", `${TODOS}/${id}`, { token });
    if (response.status === 204) {
      this.acked.set(id, null);
      this.tally.acked++;
    } else this.fail("delete", response);
    return response;
  }

  private fail(what: string, response: ApiResponse): void {
    if (response.status !== 0)
      this.tally.failures.push({ what, status: response.status, body: JSON.stringify(response.body).slice(0, 200) });
  }

  /**
   * Compares the server's state after a restart with what was acknowledged, then adopts the server's
   * state for the unknown request so the next cycle starts from the truth. Returns the violations.
   */
  async verifyAndReconcile(baseUrl: string): Promise<string[]> {
    const path = `${TODOS}${query({ perPage: 1000, fields: "id,task,done" })}`;
    const response = await api(baseUrl, "GET", path, { token: this.account.token });
    if (response.status !== 200) return [`${this.account.id}: list after restart → ${response.status}`];
    const onServer = new Map(
      (response.body as { items: Array<Todo & { id: string }> }).items.map((item) => [item.id, { task: item.task, done: item.done }]),
    );
    const problems: string[] = [];
    const unknown = this.unknown;
    const same = (a: Todo | undefined, b: Todo | undefined) => !!a && !!b && a.task === b.task && a.done === b.done;

    for (const [id, todo] of this.acked) {
      const actual = onServer.get(id);
      if (todo === null) {
        if (actual) problems.push(`${id}: acknowledged as deleted, but it is back: ${JSON.stringify(actual)}`);
        continue;
      }
      if (unknown?.kind === "delete" && unknown.id === id && !actual) continue;
      if (unknown?.kind === "update" && unknown.id === id && same(actual, unknown.next)) continue;
      if (!actual) problems.push(`${id}: acknowledged ${JSON.stringify(todo)} is LOST`);
      else if (!same(actual, todo)) problems.push(`${id}: acknowledged ${JSON.stringify(todo)}, found ${JSON.stringify(actual)}`);
    }
    const extra = [...onServer].filter(([id]) => !this.acked.has(id));
    const unknownTasks = unknown?.kind === "create" ? unknown.tasks : [];
    for (const [id, todo] of extra)
      if (!unknownTasks.includes(todo.task)) problems.push(`${id}: never requested or never acknowledged: ${JSON.stringify(todo)}`);
    if (unknownTasks.length > 1 && extra.length !== 0 && extra.length !== unknownTasks.length) {
      problems.push(`batch in flight at the crash is half applied: ${extra.length} of ${unknownTasks.length} creates exist`);
    }

    // Adopt the server's state for whatever was unknown.
    for (const [id, todo] of extra) this.acked.set(id, todo);
    if (unknown?.kind === "update" || unknown?.kind === "delete") this.acked.set(unknown.id, onServer.get(unknown.id) ?? null);
    this.unknown = undefined;
    this.inFlight = undefined;
    return problems.map((problem) => `${this.account.id}: ${problem}`);
  }
}
