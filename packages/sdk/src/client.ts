import PocketBase, { type BaseAuthStore } from "pocketbase";
import { z } from "zod";
import { createAuthApi, type AuthApi } from "./auth.js";
import { createCollectionApi, type CollectionApi } from "./collection.js";
import type { CollectionName } from "./generated/index.js";
import { createTodosApi, type TodosApi } from "./todos.js";
import { parseInput } from "./validation.js";

export interface ClientOptions {
  /** The engine's base URL, e.g. http://127.0.0.1:8090. */
  url: string;
  /**
   * Where the session lives. Default: the pocketbase SDK's LocalAuthStore (localStorage in browsers,
   * memory in Node — so one client per signed-in user there).
   */
  authStore?: BaseAuthStore;
}

export interface StarterClient {
  auth: AuthApi;
  /** Any collection of the generated schema: typed, validated CRUD, batch and realtime. */
  collection<N extends CollectionName>(name: N): CollectionApi<N>;
  /** The todos collection, with list filters in todo terms (done, category, search). */
  todos: TodosApi;
  /** The underlying pocketbase SDK client, for what this SDK does not cover (untyped, unvalidated). */
  pb: PocketBase;
}

const optionsSchema = z.object({ url: z.url({ protocol: /^https?$/, error: "Must be an http(s) URL." }) });

/** A typed, validated client for this API over the pocketbase JS SDK. */
export function createClient(options: ClientOptions): StarterClient {
  const { url } = parseInput(optionsSchema, { url: options.url }, "client options");
  const pb = new PocketBase(url, options.authStore);
  // Parallel calls to one collection would otherwise cancel each other (the SDK keys requests by path).
  pb.autoCancellation(false);
  // One API object per collection, made on first use (the map cannot relate each name to its type).
  const apis = new Map<string, unknown>();
  return {
    auth: createAuthApi(pb),
    collection<N extends CollectionName>(name: N): CollectionApi<N> {
      if (!apis.has(name)) apis.set(name, createCollectionApi(pb, name));
      return apis.get(name) as CollectionApi<N>;
    },
    todos: createTodosApi(pb),
    pb,
  };
}
