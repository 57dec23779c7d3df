import type PocketBase from "pocketbase";
import { z } from "zod";
import { batchSettings, collectionSchemas, type CollectionName, type CollectionTypes } from "./generated/index.js";
import { invalidResponse, StarterError, toStarterError } from "./errors.js";
import { ensureEventSource } from "./eventSource.js";
import { parseInput, request } from "./validation.js";

type RecordOf<N extends CollectionName> = CollectionTypes[N]["record"];
type CreateOf<N extends CollectionName> = CollectionTypes[N]["create"];
type UpdateOf<N extends CollectionName> = CollectionTypes[N]["update"];

/** The engine never returns more than 1000 records per page. */
export const MAX_PER_PAGE = 1000;

export interface ListOptions {
  /** 1-based page number (default 1). */
  page?: number;
  /** Items per page, 1–1000 (default 30). */
  perPage?: number;
  /**
   * A filter expression; put values in `params` as `{:name}` placeholders, which are quoted and escaped
   * for you (never paste user input into the expression itself).
   */
  filter?: string;
  params?: Record<string, string | number | boolean | null>;
  /** Sort expression, e.g. "-created,id" (default: the engine's order). */
  sort?: string;
  /** Also count every matching record (an extra COUNT query: slow on big tables). Default false. */
  withTotal?: boolean;
}

export interface Page<T> {
  items: T[];
  page: number;
  perPage: number;
  /** Whether a next page has at least one item. */
  hasMore: boolean;
}

export interface PageWithTotal<T> extends Page<T> {
  totalItems: number;
  totalPages: number;
}

/** A change to a record the caller may see. */
export interface RecordEvent<T> {
  action: "create" | "update" | "delete";
  record: T;
}

export interface SubscribeOptions {
  /** Only events of this record id (default: every record the caller may list). */
  id?: string;
  /** Called with an event that does not match the generated schema (the event is dropped). */
  onError?: (error: StarterError) => void;
}

/** One collection, typed and validated: what `client.collection(name)` returns. */
export interface CollectionApi<N extends CollectionName> {
  readonly name: N;
  // Every member is a plain function (no `this`), so `const { list } = client.collection("notes")` works.
  list: {
    (options: ListOptions & { withTotal: true }): Promise<PageWithTotal<RecordOf<N>>>;
    (options?: ListOptions): Promise<Page<RecordOf<N>>>;
  };
  /** Every matching record, all pages (for short lists such as reference data). */
  listAll: (options?: Pick<ListOptions, "filter" | "params" | "sort">) => Promise<RecordOf<N>[]>;
  get: (id: string) => Promise<RecordOf<N>>;
  create: (input: CreateOf<N>) => Promise<RecordOf<N>>;
  update: (id: string, patch: UpdateOf<N>) => Promise<RecordOf<N>>;
  remove: (id: string) => Promise<void>;
  /** Creates every record or none (one transaction); returns them in input order. */
  createMany: (inputs: CreateOf<N>[]) => Promise<RecordOf<N>[]>;
  /** Applies every patch or none; returns the updated records in input order. */
  updateMany: (items: Array<{ id: string } & UpdateOf<N>>) => Promise<RecordOf<N>[]>;
  /** Deletes every listed record or none (one missing or foreign id fails the whole batch). */
  removeMany: (ids: string[]) => Promise<void>;
  /**
   * Calls `callback` for every create, update and delete of records the caller may see (the engine
   * applies the collection's rules to every event). Resolves once subscribed, with the unsubscribe.
   */
  subscribe: (callback: (event: RecordEvent<RecordOf<N>>) => void, options?: SubscribeOptions) => Promise<() => Promise<void>>;
}

export const recordIdSchema = z.string().min(1, "Cannot be blank.");

const listOptionsSchema = z.strictObject({
  page: z.number().int().min(1).default(1),
  perPage: z.number().int().min(1).max(MAX_PER_PAGE).default(30),
  filter: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  sort: z.string().optional(),
  withTotal: z.boolean().default(false),
});

const maxBatch = batchSettings.maxRequests;
const listOf = <T extends z.ZodType>(item: T) =>
  z.array(item).max(maxBatch, `At most ${maxBatch} items per call (the engine's batch limit).`);

/** A typed, validated view of one collection over the pocketbase SDK. */
export function createCollectionApi<N extends CollectionName>(pb: PocketBase, name: N): CollectionApi<N> {
  // Plain JavaScript (or a cast) can name a collection the generated schema does not have.
  if (!Object.hasOwn(collectionSchemas, name)) {
    const known = Object.keys(collectionSchemas).join(", ");
    throw new StarterError(`No collection "${String(name)}" in this SDK (it has: ${known}). Added one? Run npm run typegen.`, {
      kind: "invalid_input",
      status: 0,
      fields: { collection: `Unknown collection "${String(name)}".` },
    });
  }
  const schemas = collectionSchemas[name];
  const recordSchema = schemas.record as z.ZodType<RecordOf<N>>;
  const writable = (which: "create" | "update"): z.ZodObject => {
    const schema = schemas[which] as z.ZodObject | null;
    if (!schema) throw toStarterError(new Error(`The collection "${name}" cannot be written.`));
    return schema;
  };
  const records = () => pb.collection(name);
  const listSchema = z.object({ items: z.array(recordSchema), totalItems: z.number(), totalPages: z.number() });
  const probeSchema = z.object({ items: z.array(z.unknown()) });

  async function list(options: ListOptions = {}): Promise<Page<RecordOf<N>> | PageWithTotal<RecordOf<N>>> {
    const query = parseInput(listOptionsSchema, options, `${name} list options`);
    const { page, perPage } = query;
    const params = {
      ...(query.filter ? { filter: query.params ? pb.filter(query.filter, query.params) : query.filter } : {}),
      ...(query.sort ? { sort: query.sort } : {}),
    };
    if (query.withTotal) {
      const result = await request(listSchema, `${name} list`, () => records().getList(page, perPage, params));
      return {
        items: result.items,
        page,
        perPage,
        hasMore: page < result.totalPages,
        totalItems: result.totalItems,
        totalPages: result.totalPages,
      };
    }
    // Without counting: on page 1, ask for one extra item; elsewhere, peek at the item after this page
    // (pages are offset-based, so page n*perPage+1 of size 1 is exactly that item) only when this one is full.
    const peekInline = page === 1 && perPage < MAX_PER_PAGE;
    const size = peekInline ? perPage + 1 : perPage;
    const result = await request(listSchema, `${name} list`, () => records().getList(page, size, { ...params, skipTotal: true }));
    let hasMore = result.items.length > perPage;
    if (!peekInline && result.items.length === perPage) {
      const next = await request(probeSchema, `${name} list`, () =>
        records().getList(page * perPage + 1, 1, { ...params, skipTotal: true, fields: "id" }),
      );
      hasMore = next.items.length > 0;
    }
    return { items: result.items.slice(0, perPage), page, perPage, hasMore };
  }

  async function batch<T extends z.ZodType>(body: T, what: string, fill: (b: ReturnType<PocketBase["createBatch"]>) => void) {
    const b = pb.createBatch();
    fill(b);
    const results = await request(z.array(z.object({ status: z.number(), body })), what, () => b.send());
    return (results as Array<{ body: unknown }>).map((result) => result.body as z.output<T>);
  }

  const eventSchema = z.object({ action: z.enum(["create", "update", "delete"]), record: recordSchema });

  return {
    name,
    list: list as CollectionApi<N>["list"],
    async listAll(options = {}) {
      const query = parseInput(listOptionsSchema.pick({ filter: true, params: true, sort: true }), options, `${name} list options`);
      const params = {
        ...(query.filter ? { filter: query.params ? pb.filter(query.filter, query.params) : query.filter } : {}),
        ...(query.sort ? { sort: query.sort } : {}),
      };
      return request(z.array(recordSchema), `${name} list`, () => records().getFullList(params));
    },
    async get(id) {
      const valid = parseInput(recordIdSchema, id, `${name} id`);
      return request(recordSchema, name, () => records().getOne(valid));
    },
    async create(input) {
      const body = parseInput(writable("create"), input, name);
      return request(recordSchema, `created ${name}`, () => records().create(body));
    },
    async update(id, patch) {
      const valid = parseInput(recordIdSchema, id, `${name} id`);
      const body = parseInput(writable("update"), patch, `${name} update`);
      return request(recordSchema, `updated ${name}`, () => records().update(valid, body));
    },
    async remove(id) {
      const valid = parseInput(recordIdSchema, id, `${name} id`);
      await request(z.literal(true), "delete answer", () => records().delete(valid));
    },
    async createMany(inputs) {
      const items = parseInput(listOf(writable("create")), inputs, `${name} records`);
      if (items.length === 0) return [];
      return batch(recordSchema, `created ${name}`, (b) => {
        for (const item of items) b.collection(name).create(item);
      });
    },
    async updateMany(updates) {
      const items = parseInput(listOf(writable("update").extend({ id: recordIdSchema })), updates, `${name} updates`);
      if (items.length === 0) return [];
      return batch(recordSchema, `updated ${name}`, (b) => {
        for (const { id, ...patch } of items) b.collection(name).update(id as string, patch);
      });
    },
    async removeMany(ids) {
      const valid = parseInput(listOf(recordIdSchema), ids, `${name} ids`);
      if (valid.length === 0) return;
      await batch(z.unknown(), "delete answers", (b) => {
        for (const id of valid) b.collection(name).delete(id);
      });
    },
    async subscribe(callback, options = {}) {
      try {
        await ensureEventSource();
        const topic = options.id ? parseInput(recordIdSchema, options.id, `${name} id`) : "*";
        return await records().subscribe(topic, (raw) => {
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
