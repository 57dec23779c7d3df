import type PocketBase from "pocketbase";
import { z } from "zod";
import {
  collections,
  todoCreateInputSchema,
  todoRecordSchema,
  todoUpdateInputSchema,
  type TodoCreateInput,
  type TodoRecord,
  type TodoUpdateInput,
} from "../generated/index.js";
import { parseInput, request } from "./boundary.js";
import { MAX_PER_PAGE, todoFilter, todoListOptionsSchema, todoSort, type TodoSort } from "./filters.js";
import { createTodoBatchApi, type TodoBatchApi } from "./todos-batch.js";
import { createTodoRealtimeApi, type TodoRealtimeApi } from "./todos-realtime.js";

export interface TodoListOptions {
  /** 1-based page number (default 1). */
  page?: number;
  /** Items per page, 1–1000 (default 30). */
  perPage?: number;
  done?: boolean;
  /** A category id. */
  category?: string;
  /** Case-insensitive "task contains" (literal text: % and _ are not wildcards). */
  search?: string;
  /** Default "-created" (newest first). */
  sort?: TodoSort;
  /** Also count every matching todo (an extra COUNT query: slow on big tables). Default false. */
  withTotal?: boolean;
}

export interface TodoPage {
  items: TodoRecord[];
  page: number;
  perPage: number;
  /** Whether a next page has at least one item. */
  hasMore: boolean;
}

export interface TodoPageWithTotal extends TodoPage {
  totalItems: number;
  totalPages: number;
}

export interface TodosApi extends TodoBatchApi, TodoRealtimeApi {
  /** A page of the caller's todos, filtered and sorted; counts the total only when asked. */
  list(options: TodoListOptions & { withTotal: true }): Promise<TodoPageWithTotal>;
  list(options?: TodoListOptions): Promise<TodoPage>;
  get(id: string): Promise<TodoRecord>;
  create(input: TodoCreateInput): Promise<TodoRecord>;
  update(id: string, patch: TodoUpdateInput): Promise<TodoRecord>;
  remove(id: string): Promise<void>;
}

export const recordIdSchema = z.string().min(1, "Cannot be blank.");

const listSchema = z.object({
  items: z.array(todoRecordSchema),
  totalItems: z.number(),
  totalPages: z.number(),
});
const probeSchema = z.object({ items: z.array(z.unknown()) });

export function createTodosApi(pb: PocketBase): TodosApi {
  const todos = () => pb.collection(collections.todos.name);

  async function list(options: TodoListOptions = {}): Promise<TodoPage | TodoPageWithTotal> {
    const query = parseInput(todoListOptionsSchema, options, "todo list options");
    const { page, perPage } = query;
    const params = { filter: todoFilter(query, pb.filter.bind(pb)), sort: todoSort(query.sort) };

    if (query.withTotal) {
      const result = await request(listSchema, "todo list", () => todos().getList(page, perPage, params));
      return { items: result.items, page, perPage, hasMore: page < result.totalPages, ...pick(result) };
    }
    // Without counting: on page 1, ask for one extra item; elsewhere, peek at the item after this page
    // (pages are offset-based, so page n*perPage+1 of size 1 is exactly that item) only when this one is full.
    const peekInline = page === 1 && perPage < MAX_PER_PAGE;
    const size = peekInline ? perPage + 1 : perPage;
    const result = await request(listSchema, "todo list", () => todos().getList(page, size, { ...params, skipTotal: true }));
    let hasMore = result.items.length > perPage;
    if (!peekInline && result.items.length === perPage) {
      const next = await request(probeSchema, "todo list", () =>
        todos().getList(page * perPage + 1, 1, { ...params, skipTotal: true, fields: "id" }),
      );
      hasMore = next.items.length > 0;
    }
    return { items: result.items.slice(0, perPage), page, perPage, hasMore };
  }

  return {
    list: list as TodosApi["list"],
    async get(id) {
      const valid = parseInput(recordIdSchema, id, "todo id");
      return request(todoRecordSchema, "todo", () => todos().getOne(valid));
    },
    async create(input) {
      const body = parseInput(todoCreateInputSchema, input, "todo");
      return request(todoRecordSchema, "created todo", () => todos().create(body));
    },
    async update(id, patch) {
      const valid = parseInput(recordIdSchema, id, "todo id");
      const body = parseInput(todoUpdateInputSchema, patch, "todo update");
      return request(todoRecordSchema, "updated todo", () => todos().update(valid, body));
    },
    async remove(id) {
      const valid = parseInput(recordIdSchema, id, "todo id");
      await request(z.literal(true), "delete answer", () => todos().delete(valid));
    },
    ...createTodoBatchApi(pb),
    ...createTodoRealtimeApi(pb),
  };
}

function pick(result: { totalItems: number; totalPages: number }): { totalItems: number; totalPages: number } {
  return { totalItems: result.totalItems, totalPages: result.totalPages };
}
