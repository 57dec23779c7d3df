import type PocketBase from "pocketbase";
import { z } from "zod";
import {
  batchSettings,
  collections,
  todoCreateInputSchema,
  todoRecordSchema,
  todoUpdateInputSchema,
  type TodoCreateInput,
  type TodoRecord,
  type TodoUpdateInput,
} from "../generated/index.js";
import { parseInput, request } from "./boundary.js";

/** One item of updateMany: the todo's id and the fields to change. */
export type TodoUpdateItem = { id: string } & TodoUpdateInput;

/** All-or-nothing bulk operations through the engine's batch API (one transaction). */
export interface TodoBatchApi {
  /** Creates every todo or none; returns them in input order. */
  createMany(inputs: TodoCreateInput[]): Promise<TodoRecord[]>;
  /** Applies every patch or none; returns the updated todos in input order. */
  updateMany(items: TodoUpdateItem[]): Promise<TodoRecord[]>;
  /** Deletes every listed todo or none (one missing or foreign id fails the whole batch). */
  removeMany(ids: string[]): Promise<void>;
}

const max = batchSettings.maxRequests;
const listOf = <T extends z.ZodType>(item: T) =>
  z.array(item).max(max, `At most ${max} items per call (the engine's batch limit).`);

const createManySchema = listOf(todoCreateInputSchema);
const updateManySchema = listOf(todoUpdateInputSchema.extend({ id: z.string().min(1, "Cannot be blank.") }));
const removeManySchema = listOf(z.string().min(1, "Cannot be blank."));
const resultsSchema = (body: z.ZodType) => z.array(z.object({ status: z.number(), body }));

export function createTodoBatchApi(pb: PocketBase): TodoBatchApi {
  const name = collections.todos.name;

  async function send<T extends z.ZodType>(body: T, what: string, fill: (batch: ReturnType<PocketBase["createBatch"]>) => void) {
    const batch = pb.createBatch();
    fill(batch);
    const results = await request(resultsSchema(body), what, () => batch.send());
    return results.map((result) => result.body as z.output<T>);
  }

  return {
    async createMany(inputs) {
      const items = parseInput(createManySchema, inputs, "todos");
      if (items.length === 0) return [];
      return send(todoRecordSchema, "created todos", (batch) => {
        for (const item of items) batch.collection(name).create(item);
      });
    },
    async updateMany(updates) {
      const items = parseInput(updateManySchema, updates, "todo updates");
      if (items.length === 0) return [];
      return send(todoRecordSchema, "updated todos", (batch) => {
        for (const { id, ...patch } of items) batch.collection(name).update(id, patch);
      });
    },
    async removeMany(ids) {
      const valid = parseInput(removeManySchema, ids, "todo ids");
      if (valid.length === 0) return;
      await send(z.unknown(), "delete answers", (batch) => {
        for (const id of valid) batch.collection(name).delete(id);
      });
    },
  };
}
