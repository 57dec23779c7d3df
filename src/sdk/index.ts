export { createClient, type ClientOptions, type StarterClient } from "./client.js";
export { StarterError, type StarterErrorKind } from "./errors.js";
export type { AuthApi, LoginInput, RegisterInput } from "./auth.js";
export type { CategoriesApi } from "./categories.js";
export type { TodosApi, TodoListOptions, TodoPage, TodoPageWithTotal } from "./todos.js";
export type { TodoBatchApi, TodoUpdateItem } from "./todos-batch.js";
export type { TodoEvent, TodoRealtimeApi, TodoSubscribeOptions } from "./todos-realtime.js";
export { TODO_SORTS, type TodoSort } from "./filters.js";
