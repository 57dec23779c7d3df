// The SDK: a typed, zod-validated client for this API, and everything generated from its schema.
export { createClient, type ClientOptions, type StarterClient } from "./client.js";
export {
  createCollectionApi,
  MAX_PER_PAGE,
  type CollectionApi,
  type ListOptions,
  type Page,
  type PageWithTotal,
  type RecordEvent,
  type SubscribeOptions,
} from "./collection.js";
export { StarterError, type StarterErrorKind } from "./errors.js";
export type {
  AuthApi,
  AuthMethods,
  ConfirmEmailChangeInput,
  ConfirmPasswordResetInput,
  EmailInput,
  LoginInput,
  OAuth2LoginInput,
  OAuth2Provider,
  OTPLoginInput,
  RegisterInput,
  RequestEmailChangeInput,
  TokenInput,
} from "./auth.js";
export type { TodoEvent, TodosApi, TodoListOptions, TodoPage, TodoPageWithTotal } from "./todos.js";
export { TODO_SORTS, type TodoSort } from "./todoFilters.js";
export * from "./generated/index.js";
