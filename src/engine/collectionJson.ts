import { z } from "zod";

// The parts of the engine's collection JSON (GET /api/collections) the generator reads. Unknown keys are
// ignored, so new engine options never break typegen; a missing key the generator relies on does.

const fieldBase = {
  id: z.string(),
  name: z.string(),
  hidden: z.boolean().default(false),
  system: z.boolean().default(false),
  required: z.boolean().default(false),
};

export const fieldSchema = z.discriminatedUnion("type", [
  z.object({
    ...fieldBase,
    type: z.literal("text"),
    min: z.number(),
    max: z.number(),
    pattern: z.string(),
    primaryKey: z.boolean().default(false),
  }),
  z.object({ ...fieldBase, type: z.literal("password"), min: z.number(), max: z.number() }),
  z.object({ ...fieldBase, type: z.literal("editor"), maxSize: z.number().default(0) }),
  z.object({ ...fieldBase, type: z.literal("email") }),
  z.object({ ...fieldBase, type: z.literal("url") }),
  z.object({
    ...fieldBase,
    type: z.literal("number"),
    min: z.number().nullable(),
    max: z.number().nullable(),
    onlyInt: z.boolean().default(false),
  }),
  z.object({ ...fieldBase, type: z.literal("bool") }),
  z.object({ ...fieldBase, type: z.literal("date") }),
  z.object({ ...fieldBase, type: z.literal("autodate"), onCreate: z.boolean(), onUpdate: z.boolean() }),
  z.object({ ...fieldBase, type: z.literal("select"), values: z.array(z.string()), maxSelect: z.number() }),
  z.object({
    ...fieldBase,
    type: z.literal("relation"),
    collectionId: z.string(),
    maxSelect: z.number(),
    minSelect: z.number().default(0),
  }),
  z.object({ ...fieldBase, type: z.literal("file"), maxSelect: z.number() }),
  z.object({ ...fieldBase, type: z.literal("json") }),
  z.object({ ...fieldBase, type: z.literal("geoPoint") }),
]);

export type EngineField = z.infer<typeof fieldSchema>;

export const collectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(["base", "auth", "view"]),
  system: z.boolean(),
  fields: z.array(fieldSchema),
});

export type EngineCollection = z.infer<typeof collectionSchema>;

/** What the generator reads from the engine: the collections and the batch API settings. */
export interface EngineSchema {
  version: string;
  collections: EngineCollection[];
  batch: { enabled: boolean; maxRequests: number };
}

export const collectionListSchema = z.object({ items: z.array(collectionSchema), totalPages: z.number() });

export const settingsSchema = z.object({
  batch: z.object({ enabled: z.boolean(), maxRequests: z.number() }),
});
