import { z } from "zod";
import { EngineError } from "../engine/index.js";
import type { MigratedEngine } from "../engine/migrated.js";
import { collectionListSchema, settingsSchema, type EngineSchema } from "../engine/collectionJson.js";

/** Reads every collection and the batch settings from a running engine, as a superuser sees them. */
export async function readEngineSchema(engine: MigratedEngine): Promise<EngineSchema> {
  const list = await getJson(engine, "/api/collections?perPage=500&sort=name", collectionListSchema);
  if (list.totalPages > 1) throw new EngineError("More than 500 collections: typegen reads one page only.");
  const settings = await getJson(engine, "/api/settings", settingsSchema);
  return { version: engine.version, collections: list.items, batch: settings.batch };
}

async function getJson<T>(engine: MigratedEngine, apiPath: string, schema: z.ZodType<T>): Promise<T> {
  const response = await fetch(`${engine.url}${apiPath}`, { headers: { Authorization: engine.superuserToken } });
  if (!response.ok) throw new EngineError(`GET ${apiPath} answered HTTP ${response.status}.`);
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) {
    throw new EngineError(
      `The engine's answer to GET ${apiPath} has an unexpected shape: ${z.prettifyError(parsed.error)}`,
      "A field type typegen does not know yet? Add it to src/engine/collectionJson.ts and src/typegen/fields.ts.",
    );
  }
  return parsed.data;
}
