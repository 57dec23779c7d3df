// What pb_hooks/guard.pb.ts does on its rare paths (JSVM only): run the query guard against the live
// schema and answer a refusal the way the engine answers its own 400s.

import type { GuardedQuery, QueryRefusal } from "./queryGuard.js";

// lib modules load each other through __hooks: the JSVM resolves relative paths from the working dir.
const { checkQuery, QUERY_LIMITS } = require(`${__hooks}/lib/queryGuard.js`) as typeof import("./queryGuard");
const { engineFieldLookup, hasSuperuserToken } = require(`${__hooks}/lib/engineSchema.js`) as typeof import("./engineSchema");
const { strictJsonObject, strictQuery, topicCollection } = require(`${__hooks}/lib/strictParse.js`) as typeof import("./strictParse");

/**
 * The full look at a request's query, for guard.pb.ts when the raw query could hold something to refuse.
 * Only a record request (/api/collections/...) with a dot (a relation path), a back-relation, a comment,
 * a long filter, or an expand in the engine's other spellings ("a(b)", spaces) can be refused; anything
 * else goes through without the schema lookup.
 */
export function checkRecordQuery(e: core.RequestEvent): void {
  const url = e.request!.url!;
  if (!url.path.startsWith("/api/collections/")) return;
  const query = url.query();
  const filter = query.get("filter");
  const sort = query.get("sort");
  const expand = query.get("expand");
  const fields = query.get("fields");
  const suspicious = (value: string) => value.includes(".") || value.includes("_via_") || value.length > 2000;
  if (
    suspicious(filter) ||
    filter.includes("//") ||
    suspicious(sort) ||
    suspicious(expand) ||
    expand.includes("(") ||
    expand.includes(" ") ||
    fields.includes("_via_") ||
    fields.includes(" ")
  ) {
    refuseQuery(e, url.path.split("/")[3] ?? "", { filter, sort, expand, fields });
  }
}

/** Refuses (throws) a record request on `collection` whose query the guard does not allow. */
export function refuseQuery(e: core.RequestEvent, collection: string, query: GuardedQuery): void {
  const refusal = checkQuery(collection, query, engineFieldLookup(e.app));
  if (!refusal || hasSuperuserToken(e)) return;
  // This runs before the engine's CORS middleware: give browsers the headers it would have added, so
  // the app sees this 400 and its message instead of an opaque CORS failure.
  allowOrigin(e);
  throw refusalError(e.app, e.request!.url!.string(), refusal);
}

/**
 * Refuses a realtime subscription whose options name a path the guard does not allow. A topic is
 * "<collection>/<id or *>?options=<JSON>" (or the engine's older "<collection>?options=..."), and the
 * options are read exactly as the engine reads them, or refused.
 */
export function checkSubscriptions(e: core.RequestEvent, subscriptions: string[]): void {
  const limit = QUERY_LIMITS.subscriptionsPerClient;
  if (subscriptions.length > limit) {
    const message = `At most ${limit} realtime subscriptions per client, got ${subscriptions.length}; subscribe to "<collection>/*" instead of record by record.`;
    throw new ApiError(400, message, { subscriptions: new ValidationError("subscriptions_too_many", message) });
  }
  const lookup = engineFieldLookup(e.app);
  for (const topic of subscriptions) {
    const at = topic.indexOf("?");
    if (at < 0) continue;
    const parsed = strictQuery(topic.slice(at + 1), ["options"]);
    if (!parsed) throw refusalError(e.app, topic, AMBIGUOUS("options"));
    if (!parsed.options) continue;
    const options = strictJsonObject(parsed.options);
    const query = options ? (options.query ?? {}) : null;
    if (typeof query !== "object" || query === null || Array.isArray(query)) throw refusalError(e.app, topic, AMBIGUOUS_OPTIONS);
    const text = (key: string): string | null => {
      const value = (query as Record<string, unknown>)[key];
      return typeof value === "string" ? value : null;
    };
    const refusal = checkQuery(
      topicCollection(topic),
      { filter: text("filter"), sort: text("sort"), expand: text("expand"), fields: text("fields") },
      lookup,
    );
    if (refusal) throw refusalError(e.app, topic, refusal);
  }
}

/** The batch rules for non-superusers (see pb_hooks/guard.pb.ts). */
export function checkBatch(e: core.BatchRequestEvent): void {
  const lookup = engineFieldLookup(e.app);
  const info = e.requestInfo();
  e.batch.forEach((request, index) => {
    if (!request) return;
    // The engine routes items with Go regexps (apis/batch.go) whose "." matches anything but "\n"; in
    // JavaScript "." also stops at "\r", U+2028 and U+2029, so the query is matched with [^\n] instead.
    // A URL this cannot read is refused: the guard never lets through what it did not check.
    const match = /^\/api\/collections\/([^/?]+)\/records(\/[^/?]+)?(?:\?([^\n]*))?$/.exec(request.url);
    if (!match)
      throw itemError(
        index,
        "url_not_record_route",
        "A batch item's url must be /api/collections/<collection>/records[/<id>][?query].",
        "url",
      );
    const collectionName = match[1]!; // as the engine uses it: not decoded
    const query = strictQuery(match[3] ?? "", ["filter", "sort", "expand", "fields"]);
    const refusal = query ? checkQuery(collectionName, query, lookup) : AMBIGUOUS("filter");
    if (refusal) throw refusalError(e.app, request.url, refusal, index);

    let collection: core.Collection | null;
    try {
      collection = e.app.findCachedCollectionByNameOrId(collectionName);
    } catch {
      collection = null;
    }
    const method = request.method.toUpperCase();
    const bodyId: unknown = request.body ? request.body.id : undefined;
    const hasId = bodyId !== undefined && bodyId !== null && bodyId !== "";
    if (collection?.type === "auth" && !match[2] && (method === "POST" || (method === "PUT" && !hasId))) {
      throw itemError(index, "signup_not_in_batch", `Sign up with POST /api/collections/${collection.name}/records, not inside a batch.`);
    }
    // An upsert with an id looks the id up in the whole table, then updates (a foreign record: 404) or
    // creates (the create rule refuses client ids: 400). Two different refusals would tell whether
    // someone else's record exists, so an upsert with an id must name a record the caller may update.
    if (method === "PUT" && !match[2] && hasId) {
      let allowed: boolean;
      try {
        if (typeof bodyId !== "string" && typeof bodyId !== "number") throw new Error("not an id");
        const record = e.app.findRecordById(collection!, String(bodyId));
        allowed = e.app.canAccessRecord(record, info, collection!.updateRule as string);
      } catch {
        allowed = false; // missing collection or record: answer exactly like a foreign one
      }
      if (!allowed) {
        throw itemError(
          index,
          "upsert_not_allowed",
          "An upsert with an id can only update a record of yours; leave the id out to create one.",
          "id",
        );
      }
    }
  });
}

/** A query string the guard cannot read exactly like the engine does: refused rather than guessed. */
const AMBIGUOUS = (param: QueryRefusal["param"] | "options"): QueryRefusal => ({
  param: param === "options" ? "filter" : param,
  code: "ambiguous",
  message: `The query string is ambiguous (";" in a pair, an undecodable value, or a parameter given twice); send each parameter once, URL-encoded.`,
});

/** Realtime options the guard cannot read exactly like the engine does (see lib/strictParse.ts). */
const AMBIGUOUS_OPTIONS: QueryRefusal = {
  param: "filter",
  code: "ambiguous",
  message:
    'The subscription options are ambiguous (not a JSON object with a "query" object, a name given twice, or half of a surrogate pair); send them as JSON.stringify writes them.',
};

/** The refusal, logged with what was refused (a URL, a batch item's URL, or a realtime topic). */
function refusalError(app: CoreApp, refused: string, refusal: QueryRefusal, batchIndex?: number): ApiError {
  // (Not e.request: a realtime subscribe event does not expose it to the JSVM.)
  app.logger().warn("Query refused by the query guard", "url", refused, "param", refusal.param, "code", refusal.code);
  const message = `Not allowed in ${refusal.param}: ${refusal.message}`;
  if (batchIndex !== undefined) return itemError(batchIndex, `${refusal.param}_${refusal.code}`, message, refusal.param);
  return new ApiError(400, message, { [refusal.param]: new ValidationError(`${refusal.param}_${refusal.code}`, refusal.message) });
}

/**
 * A batch refusal that names the item like the engine's own batch errors (data.requests.<i>.code and
 * .message), and the field it is about when there is one (data.<field>.code). The item's entry must be a
 * ValidationError: the engine would read a plain object's strings as nested errors.
 */
function itemError(index: number, code: string, message: string, field?: string): ApiError {
  const requests = { [String(index)]: new ValidationError(code, message) };
  return new ApiError(400, message, field ? { [field]: new ValidationError(code, message), requests } : { requests });
}

/** The CORS headers the engine would add (PB_ORIGINS, as npm start passes it, or any origin). */
function allowOrigin(e: core.RequestEvent): void {
  const origin = e.request!.header.get("Origin");
  if (!origin) return;
  const allowed = ($os.getenv("PB_ORIGINS") || "*")
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  const headers = e.response.header();
  if (allowed.includes("*")) headers.set("Access-Control-Allow-Origin", "*");
  else if (allowed.includes(origin)) headers.set("Access-Control-Allow-Origin", origin);
  headers.add("Vary", "Origin");
}
