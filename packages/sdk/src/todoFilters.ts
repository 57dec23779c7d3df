/** The sort orders todos.list accepts (a leading "-" means descending). Anything else is refused. */
export const TODO_SORTS = ["created", "-created", "updated", "-updated", "task", "-task", "done", "-done"] as const;
export type TodoSort = (typeof TODO_SORTS)[number];

/** The parts of a todo list query that become its filter. */
export interface TodoListQuery {
  done?: boolean | undefined;
  category?: string | undefined;
  search?: string | undefined;
}

/** Binds values into a filter expression: the pocketbase SDK's `pb.filter`, which quotes and escapes them. */
export type BindFilter = (expression: string, params: Record<string, unknown>) => string;

/**
 * A LIKE pattern matching `text` anywhere, with LIKE's wildcards escaped. The engine leaves a value that
 * already contains an unescaped % alone (and uses ESCAPE '\'), so this exact pattern is what SQLite sees.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** The filter for a todo list query; user values only ever travel as bound parameters. */
export function todoFilter(query: Pick<TodoListQuery, "done" | "category" | "search">, bind: BindFilter): string {
  const parts: string[] = [];
  if (query.done !== undefined) parts.push(bind("done = {:done}", { done: query.done }));
  if (query.category !== undefined) parts.push(bind("category = {:category}", { category: query.category }));
  if (query.search) parts.push(bind("task ~ {:search}", { search: containsPattern(query.search) }));
  return parts.join(" && ");
}

/** The sort expression: the chosen order, then newest first and id, so pages never overlap or skip. */
export function todoSort(sort: TodoSort): string {
  const field = sort.replace(/^-/, "");
  const tieBreakers = field === "created" ? [`${sort.startsWith("-") ? "-" : ""}id`] : ["-created", "-id"];
  return [sort, ...tieBreakers].join(",");
}
