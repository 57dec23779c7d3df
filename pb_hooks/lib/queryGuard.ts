// The query guard: which relation paths a client (anyone but a superuser) may name in `filter`, `sort`,
// `expand` and `fields`, on any collection. Pure (a schema lookup in, a verdict out): the first-of-all
// middleware in pb_hooks/guard.pb.ts, the realtime and batch hooks, and Node tests all call it.
//
// Why it exists (docs/SECURITY.md has the reproductions): the engine joins a back-relation
// (`<collection>_via_<field>`) or a multi-valued relation without the joined collection's API rules
// when a plain operator (=, !=, ~, <, ...) makes it build its "multi-match" subquery, and it expands a
// back-relation by picking related ids before the view rule applies. Both let a user learn other
// users' records one character at a time. Long relation chains also let one user run joins until the
// 30 s query timeout and starve everyone else. So, for clients:
//   - back-relations are refused everywhere (filter, sort, expand, fields);
//   - a multi-valued relation may be traversed only with an "any" operator (?=, ?~, ...), which goes
//     through the rule-filtered join, and never in a sort;
//   - at most QUERY_LIMITS.relationHops relations are followed in one path, and a filter is at most
//     QUERY_LIMITS.filterLength characters.
// Single relations (`category.name`) stay allowed: the engine applies the target's list rule to them.

export const QUERY_LIMITS = {
  /** Relations one filter, sort or expand path may follow (`category.name` follows one). */
  relationHops: 2,
  /** Characters in one filter (the engine's own cap is 3,500). */
  filterLength: 2000,
  /**
   * Realtime subscriptions one client may hold (the engine allows 1,000). Every save checks each
   * matching subscription with a query, inside the writer's request: 4 clients holding 1,000 harmless
   * topics made another user's save take ~0.5 s instead of 4 ms.
   */
  subscriptionsPerClient: 50,
} as const;

/** A relation field as the guard needs to know it. */
export interface RelationInfo {
  /** Name or id of the collection it points to. */
  target: string;
  /** More than one related record (maxSelect > 1). */
  multiple: boolean;
}

/**
 * What the guard asks about the schema: the kind of a field of a collection. "relation" carries its
 * target; "json" ends a path (the rest is a JSON path); "other" is any other field; null: no such field.
 */
export type FieldLookup = (collection: string, field: string) => RelationInfo | "json" | "other" | null;

/** The query parameters the guard reads; missing ones are undefined or empty. */
export interface GuardedQuery {
  filter?: string | null;
  sort?: string | null;
  expand?: string | null;
  fields?: string | null;
}

/** Why a query was refused: the parameter it is in, a short code, and a message for the developer. */
export interface QueryRefusal {
  param: keyof GuardedQuery;
  code: "back_relation" | "multi_relation" | "too_many_hops" | "too_long" | "comment" | "ambiguous";
  message: string;
}

const BACK_RELATION = /_via_/;
const ANY_OPERATOR = /^\?/;

/** Checks every parameter of a query on `collection`; null when it may run. */
export function checkQuery(collection: string, query: GuardedQuery, lookup: FieldLookup): QueryRefusal | null {
  if (query.filter) {
    const refusal = checkFilter(collection, query.filter, lookup);
    if (refusal) return refusal;
  }
  if (query.sort) {
    if (BACK_RELATION.test(query.sort)) return backRelation("sort", firstMatch(query.sort));
    for (const path of sortPaths(query.sort)) {
      const refusal = checkPath(collection, path, "sort", false, lookup);
      if (refusal) return refusal;
    }
  }
  if (query.expand) {
    for (const path of query.expand.split(",")) {
      const refusal = checkExpand(path);
      if (refusal) return refusal;
    }
  }
  const fields = query.fields?.replace(/\s+/g, "");
  if (fields && BACK_RELATION.test(fields)) return backRelation("fields", firstMatch(fields));
  return null;
}

function checkFilter(collection: string, filter: string, lookup: FieldLookup): QueryRefusal | null {
  if (filter.length > QUERY_LIMITS.filterLength) {
    return {
      param: "filter",
      code: "too_long",
      message: `The filter has ${filter.length} characters; at most ${QUERY_LIMITS.filterLength} are allowed.`,
    };
  }
  // Outside quoted texts, a comment or a back-relation anywhere is refused outright. Comments because the
  // engine's parser does not know them inside parentheses (so "( // )" would hide what follows from any
  // reader that does); back-relations because no operator makes them safe.
  const code = withoutTexts(filter);
  if (code.includes("//")) {
    return { param: "filter", code: "comment", message: "Comments (//) are not allowed in filters." };
  }
  if (BACK_RELATION.test(code)) return backRelation("filter", firstMatch(code));
  for (const { path, any } of filterPaths(filter)) {
    const refusal = checkPath(collection, path, "filter", any, lookup);
    if (refusal) return refusal;
  }
  return null;
}

/**
 * Follows `path` from `collection` through the schema. `any`: the comparison uses a ?-operator, so a
 * multi-valued relation is joined with its rules applied.
 */
function checkPath(collection: string, path: string, param: "filter" | "sort", any: boolean, lookup: FieldLookup): QueryRefusal | null {
  if (path.startsWith("@") || /^(true|false|null)$/i.test(path)) return null; // macros and literals
  const segments = path.split(".");
  let current = collection;
  let hops = 0;
  for (let i = 0; i < segments.length; i++) {
    const name = segments[i]!.split(":")[0]!;
    if (BACK_RELATION.test(name)) return backRelation(param, name);
    if (i === segments.length - 1) return null;
    const field = lookup(current, name);
    if (field === null || field === "other" || field === "json") return null; // the engine reports unknown fields itself
    hops++;
    if (hops > QUERY_LIMITS.relationHops) return tooManyHops(param, path);
    if (field.multiple && (param === "sort" || !any)) {
      return {
        param,
        code: "multi_relation",
        message:
          param === "sort"
            ? `Sorting by "${path}" follows the multi-valued relation "${name}"; sort by fields of this collection or of single relations.`
            : `"${path}" follows the multi-valued relation "${name}" with a plain operator, which the engine evaluates without the related collection's access rules. Use an "any" operator (?=, ?!=, ?~, ...) instead.`,
      };
    }
    current = field.target;
  }
  return null;
}

/** One expand path, normalized like the engine does (spaces removed, outer dots trimmed). */
function checkExpand(raw: string): QueryRefusal | null {
  const path = raw.replace(/ /g, "").replace(/^\.+|\.+$/g, "");
  if (!path) return null;
  const segments = path.split(".");
  // "todos(category)" is the engine's older spelling of todos_via_category.
  const via = segments.find((segment) => BACK_RELATION.test(segment) || segment.includes("("));
  if (via) return backRelation("expand", via);
  if (segments.length > QUERY_LIMITS.relationHops) return tooManyHops("expand", path);
  return null;
}

function backRelation(param: keyof GuardedQuery, name: string): QueryRefusal {
  return {
    param,
    code: "back_relation",
    message:
      `"${name}" is a back-relation. Back-relations are not allowed in client queries: the engine reads them ` +
      "without the related collection's access rules. Query the related collection directly instead " +
      '(for example list its records with filter=<relation> = "<id>").',
  };
}

function tooManyHops(param: keyof GuardedQuery, path: string): QueryRefusal {
  return {
    param,
    code: "too_many_hops",
    message: `"${path}" follows more than ${QUERY_LIMITS.relationHops} relations; at most ${QUERY_LIMITS.relationHops} are allowed in one path.`,
  };
}

function firstMatch(text: string): string {
  return /[\w.]*_via_[\w]*/.exec(text)?.[0] ?? "_via_";
}

/** The filter with every quoted text (and its escapes) taken out, as the engine's scanner delimits them. */
export function withoutTexts(filter: string): string {
  let out = "";
  for (let i = 0; i < filter.length; i++) {
    const ch = filter[i]!;
    if (ch !== "'" && ch !== '"') {
      out += ch;
      continue;
    }
    i++;
    while (i < filter.length && filter[i] !== ch) i += filter[i] === "\\" ? 2 : 1;
    out += " ";
  }
  return out;
}

/** The sort's field paths: comma-separated, each optionally prefixed by - or +, functions scanned for fields. */
function sortPaths(sort: string): string[] {
  return filterPaths(sort.replace(/(^|,)\s*[-+]/g, "$1 ").replace(/,/g, " && ")).map((p) => p.path);
}

/**
 * Every field path a filter names, with whether the comparison it sits in uses a ?-operator. Follows the
 * engine's filter grammar (fexpr): quoted texts (with escapes) are skipped, an identifier directly
 * followed by "(" is a function whose arguments are scanned too. (Comments are refused before this runs.)
 */
export function filterPaths(filter: string): Array<{ path: string; any: boolean }> {
  const tokens: Array<{ kind: "identifier" | "operator" | "other"; text: string }> = [];
  let i = 0;
  while (i < filter.length) {
    const ch = filter[i]!;
    if (ch === "'" || ch === '"') {
      i++;
      while (i < filter.length && filter[i] !== ch) i += filter[i] === "\\" ? 2 : 1;
      i++;
      tokens.push({ kind: "other", text: "text" });
    } else if (/[A-Za-z@_#]/.test(ch)) {
      let end = i + 1;
      while (end < filter.length && /[\w.:]/.test(filter[end]!)) end++;
      const text = filter.slice(i, end);
      i = end;
      if (filter[i] === "(") tokens.push({ kind: "other", text: "function" });
      else tokens.push({ kind: "identifier", text });
    } else if (/[=?!<>~]/.test(ch)) {
      let end = i + 1;
      while (end < filter.length && /[=?!<>~]/.test(filter[end]!)) end++;
      tokens.push({ kind: "operator", text: filter.slice(i, end) });
      i = end;
    } else {
      if (!/\s/.test(ch)) tokens.push({ kind: "other", text: ch });
      i++;
    }
  }
  const paths: Array<{ path: string; any: boolean }> = [];
  tokens.forEach((token, index) => {
    if (token.kind !== "identifier") return;
    const next = tokens[index + 1];
    const previous = tokens[index - 1];
    const operator = next?.kind === "operator" ? next.text : previous?.kind === "operator" ? previous.text : "";
    paths.push({ path: token.text, any: ANY_OPERATOR.test(operator) });
  });
  return paths;
}
