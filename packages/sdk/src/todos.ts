import type PocketBase from "pocketbase";
import { z } from "zod";
import { createCollectionApi, MAX_PER_PAGE, type CollectionApi, type Page, type PageWithTotal, type RecordEvent } from "./collection.js";
import type { TodoRecord } from "./generated/index.js";
import { todoFilter, todoSort, TODO_SORTS, type TodoSort } from "./todoFilters.js";
import { parseInput } from "./validation.js";

/** What is specific to todos: list filters by done, category and text, and the sort orders that make sense. */
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

export type TodoPage = Page<TodoRecord>;
export type TodoEvent = RecordEvent<TodoRecord>;
export type TodoPageWithTotal = PageWithTotal<TodoRecord>;

/** Every generic operation of `client.collection("todos")`, with a list that speaks in todo terms. */
export interface TodosApi extends Omit<CollectionApi<"todos">, "list"> {
  /** A page of the caller's todos, filtered and sorted; counts the total only when asked. */
  list: {
    (options: TodoListOptions & { withTotal: true }): Promise<TodoPageWithTotal>;
    (options?: TodoListOptions): Promise<TodoPage>;
  };
}

const todoListOptionsSchema = z.strictObject({
  page: z.number().int().min(1).default(1),
  perPage: z.number().int().min(1).max(MAX_PER_PAGE).default(30),
  done: z.boolean().optional(),
  category: z.string().min(1, "Cannot be blank.").optional(),
  /** Case-insensitive "task contains"; % and _ are literal characters, not wildcards. */
  search: z.string().trim().max(200).optional(),
  sort: z.enum(TODO_SORTS).default("-created"),
  withTotal: z.boolean().default(false),
});

export function createTodosApi(pb: PocketBase): TodosApi {
  const generic = createCollectionApi(pb, "todos");
  return {
    ...generic,
    list: (async (options: TodoListOptions = {}) => {
      const query = parseInput(todoListOptionsSchema, options, "todo list options");
      const filter = todoFilter(query, pb.filter.bind(pb));
      return generic.list({
        page: query.page,
        perPage: query.perPage,
        sort: todoSort(query.sort),
        withTotal: query.withTotal,
        ...(filter ? { filter } : {}),
      });
    }) as TodosApi["list"],
  };
}
