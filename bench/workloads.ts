// The workloads: what each one sends, for ours and for the baseline. Both engines get the same users,
// the same kind of token and the same bodies; the only difference is what the API rules do. The
// baseline has no rules, so its list adds the owner filter that ours' list rule applies by itself.
import { BENCH_CATEGORY_ID, LOAD_TASK_PREFIX } from "./data.js";
import type { EngineKind } from "./engines.js";
import type { RequestSpec } from "./load-types.js";

export type WorkloadId = "list" | "list-count" | "view" | "create" | "update" | "delete" | "batch-100" | "batch-1000";

export interface Workload {
  id: WorkloadId;
  /** What a reader of the table sees. */
  label: string;
  /** Writes change the data; they run after the reads at each size, then their rows are removed. */
  writes: boolean;
  /** Records written per request (batches), 0 for reads. */
  itemsPerRequest: number;
}

export const WORKLOADS: Record<WorkloadId, Workload> = {
  list: { id: "list", label: "list page 1 of 50, skipTotal", writes: false, itemsPerRequest: 0 },
  "list-count": { id: "list-count", label: "list page 1 of 50, with total", writes: false, itemsPerRequest: 0 },
  view: { id: "view", label: "view one", writes: false, itemsPerRequest: 0 },
  create: { id: "create", label: "create", writes: true, itemsPerRequest: 1 },
  update: { id: "update", label: "update", writes: true, itemsPerRequest: 1 },
  delete: { id: "delete", label: "delete", writes: true, itemsPerRequest: 1 },
  "batch-100": { id: "batch-100", label: "batch create of 100", writes: true, itemsPerRequest: 100 },
  "batch-1000": { id: "batch-1000", label: "batch create of 1,000", writes: true, itemsPerRequest: 1000 },
};

/** Order matters: reads first, delete last (it consumes its own pre-created pool). */
export const WORKLOAD_ORDER: readonly WorkloadId[] = [
  "list",
  "list-count",
  "view",
  "create",
  "update",
  "batch-100",
  "batch-1000",
  "delete",
];

/** A signed-in user of the load, with seeded todos it owns. */
export interface LoadUser {
  id: string;
  token: string;
  todoIds: string[];
}

export interface RequestContext {
  engine: EngineKind;
  users: readonly LoadUser[];
  /** delete only: the pre-created todos to delete, each with the index of its owner in `users`. */
  deletePool?: ReadonlyArray<{ id: string; user: number }>;
}

const RECORDS = `/api/collections/${"todos"}/records`;

function headers(user: LoadUser, json: boolean): Record<string, string> {
  return json ? { authorization: user.token, "content-type": "application/json" } : { authorization: user.token };
}

/** The body of one created todo; the owner is sent explicitly because the baseline has no hook to fill it. */
export function todoBody(user: LoadUser, task: string): Record<string, unknown> {
  return { task, done: false, category: BENCH_CATEGORY_ID, owner: user.id };
}

/** The owner-scoped first page: ours relies on its list rule, the open baseline needs the filter. */
export function listPath(engine: EngineKind, user: LoadUser, withTotal: boolean): string {
  const query = new URLSearchParams({ page: "1", perPage: "50", sort: "-created" });
  if (!withTotal) query.set("skipTotal", "1");
  if (engine === "baseline") query.set("filter", `owner = "${user.id}"`);
  return `${RECORDS}?${query.toString()}`;
}

/** The requests of one run, sent round-robin by the load driver. */
export function buildRequests(workload: WorkloadId, context: RequestContext): RequestSpec[] {
  const { users, engine } = context;
  const perTodo = (make: (user: LoadUser, id: string, i: number) => RequestSpec): RequestSpec[] => {
    const specs: RequestSpec[] = [];
    const longest = Math.max(...users.map((user) => user.todoIds.length));
    // Interleave users so consecutive requests come from different users.
    for (let j = 0; j < longest; j++)
      users.forEach((user) => user.todoIds[j] !== undefined && specs.push(make(user, user.todoIds[j]!, specs.length)));
    if (specs.length === 0) throw new Error(`${workload}: the load users own no todos`);
    return specs;
  };
  switch (workload) {
    case "list":
    case "list-count":
      return users.map((user) => ({
        method: "GET",
        path: listPath(engine, user, workload === "list-count"),
        headers: headers(user, false),
      }));
    case "view":
      return perTodo((user, id) => ({ method: "GET", path: `${RECORDS}/${id}`, headers: headers(user, false) }));
    case "update":
      return perTodo((user, id, i) => ({
        method: "PATCH",
        path: `${RECORDS}/${id}`,
        headers: headers(user, true),
        body: JSON.stringify({ done: i % 2 === 0 }),
      }));
    case "create":
      return users.map((user) => ({
        method: "POST",
        path: RECORDS,
        headers: headers(user, true),
        body: JSON.stringify(todoBody(user, `${LOAD_TASK_PREFIX}create`)),
      }));
    case "delete": {
      if (!context.deletePool?.length) throw new Error("delete: no pre-created todos to delete");
      return context.deletePool.map(({ id, user }) => ({
        method: "DELETE",
        path: `${RECORDS}/${id}`,
        headers: headers(users[user]!, false),
      }));
    }
    case "batch-100":
    case "batch-1000": {
      const size = WORKLOADS[workload].itemsPerRequest;
      return users.map((user) => {
        const body = todoBody(user, `${LOAD_TASK_PREFIX}batch`);
        const requests = Array.from({ length: size }, () => ({ method: "POST", url: RECORDS, body }));
        return { method: "POST", path: "/api/batch", headers: headers(user, true), body: JSON.stringify({ requests }) };
      });
    }
  }
}
