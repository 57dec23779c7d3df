import type PocketBase from "pocketbase";
import { z } from "zod";
import { collections, todoRecordSchema, type TodoRecord } from "../generated/index.js";
import { invalidResponse, toStarterError, type StarterError } from "./errors.js";
import { ensureEventSource } from "./realtime.js";

/** A change to one of the caller's todos. */
export interface TodoEvent {
  action: "create" | "update" | "delete";
  record: TodoRecord;
}

export interface TodoSubscribeOptions {
  /** Called with an event that does not match the generated schema (the event is dropped). */
  onError?: (error: StarterError) => void;
}

export interface TodoRealtimeApi {
  /**
   * Calls `callback` for every create, update and delete of the caller's own todos (the engine applies
   * the list rule to every event). Resolves once subscribed, with the function that unsubscribes.
   */
  subscribe(callback: (event: TodoEvent) => void, options?: TodoSubscribeOptions): Promise<() => Promise<void>>;
}

const eventSchema = z.object({ action: z.enum(["create", "update", "delete"]), record: todoRecordSchema });

export function createTodoRealtimeApi(pb: PocketBase): TodoRealtimeApi {
  return {
    async subscribe(callback, options = {}) {
      try {
        await ensureEventSource();
        return await pb.collection(collections.todos.name).subscribe("*", (raw) => {
          const event = eventSchema.safeParse(raw);
          if (event.success) callback(event.data);
          else options.onError?.(invalidResponse("realtime event", event.error));
        });
      } catch (error) {
        throw toStarterError(error);
      }
    },
  };
}
